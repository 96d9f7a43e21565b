package dev.transcript.command;

/** A command refused because of the state it meets (a stopped session, a taken email): HTTP 409. */
public class Conflict extends RuntimeException {

    public Conflict(String message) {
        super(message);
    }
}
