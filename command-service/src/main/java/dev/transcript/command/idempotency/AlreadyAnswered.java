package dev.transcript.command.idempotency;

/** The key was used before for the same request: here is what the command answered then. */
final class AlreadyAnswered extends RuntimeException {

    private final transient Object result;

    AlreadyAnswered(Object result) {
        super("already answered", null, false, false);
        this.result = result;
    }

    Object result() {
        return result;
    }
}
