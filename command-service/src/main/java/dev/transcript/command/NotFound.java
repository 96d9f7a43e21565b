package dev.transcript.command;

/** A command that names something that does not exist: HTTP 404. */
public class NotFound extends RuntimeException {

    public NotFound(String message) {
        super(message);
    }
}
