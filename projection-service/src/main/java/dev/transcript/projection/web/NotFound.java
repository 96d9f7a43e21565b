package dev.transcript.projection.web;

/** A read that names something the read model does not hold: HTTP 404. */
public class NotFound extends RuntimeException {

    public NotFound(String message) {
        super(message);
    }
}
