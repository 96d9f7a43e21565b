package dev.transcript.projection.stream;

/** A record that can never be applied as it is: not a CloudEvent, or data that does not fit its type. */
public class Poison extends RuntimeException {

    public Poison(String message, Throwable cause) {
        super(message, cause);
    }
}
