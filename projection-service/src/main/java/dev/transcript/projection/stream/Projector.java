package dev.transcript.projection.stream;

import java.util.Optional;

/**
 * Decides what one event means for one read model and has its SQL written. Called inside the batch's
 * transaction, in order per aggregate, never twice for the same event.
 */
public interface Projector {

    /** The read model's name: its consumer group and its key in the bookkeeping tables. */
    String readModel();

    Outcome apply(Envelope envelope);

    /**
     * The database role this read model writes as, or empty for the service's own login user. When present,
     * every transaction that applies this read model's events ({@link BatchApplier}, {@link ParkedEventDrainer})
     * starts with {@code SET LOCAL ROLE}, so its rows and its bookkeeping are written as that role, under that
     * role's privileges and row-level security policies; the login user must be a member of it (or a superuser).
     */
    default Optional<String> role() {
        return Optional.empty();
    }
}
