package dev.transcript.projection.web;

/** Something the answer depends on (the Kafka cluster) cannot be reached now: HTTP 503 with Retry-After. */
public class Unavailable extends RuntimeException {

    public Unavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
