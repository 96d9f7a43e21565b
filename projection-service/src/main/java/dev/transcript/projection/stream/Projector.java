package dev.transcript.projection.stream;

/**
 * Decides what one event means for one read model and has its SQL written. Called inside the batch's
 * transaction, in order per aggregate, never twice for the same event.
 */
public interface Projector {

    /** The read model's name: its consumer group and its key in the bookkeeping tables. */
    String readModel();

    Outcome apply(Envelope envelope);
}
