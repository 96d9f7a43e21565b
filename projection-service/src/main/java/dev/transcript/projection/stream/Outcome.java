package dev.transcript.projection.stream;

/** What a projector decided for one event. */
public sealed interface Outcome {

    Outcome APPLIED = new Applied();

    /** The event's rows are written. */
    record Applied() implements Outcome {
    }

    /** The event needs a row that is not there yet (a parent in another partition): park and retry. */
    record WaitFor(String parentId, String reason) implements Outcome {
    }

    /**
     * The event can never be applied (its data cannot be decoded, or projecting it threw an {@link Error}): it is
     * dead-lettered at once with this reason, and its aggregate moves on past it.
     */
    record DeadLetter(String reason) implements Outcome {
    }

    /** The most common parent: the user's row, whose events travel in another partition than the child's. */
    static WaitFor waitForUser(java.util.UUID userId) {
        return new WaitFor(userId.toString(), "user " + userId + " not projected yet");
    }
}
