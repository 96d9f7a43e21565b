package dev.transcript.projection.stream;

/**
 * An {@link Error} thrown while decoding or projecting one event, such as the {@link StackOverflowError} of JSON
 * nested deep enough to exhaust the listener thread's stack: the event's own fault, handled like a poison record
 * (dead-lettered, its aggregate moved on). Left to itself, spring-kafka would stop the container on it, and stop
 * it again on the same record after every restart.
 */
final class EventError extends RuntimeException {

    private EventError(Error cause) {
        super(cause.toString(), cause);
    }

    /**
     * The error to isolate to its event; a fatal one (the JVM out of memory or broken: a
     * {@link VirtualMachineError} other than a stack overflow, which unwinds cleanly) is rethrown as it is.
     */
    static EventError isolate(Error error) {
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
            throw error;
        }
        return new EventError(error);
    }

    /** Why the event is dead-lettered. */
    String reason() {
        return "failed with " + getMessage();
    }
}
