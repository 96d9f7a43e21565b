package dev.transcript.events;

/**
 * Every fact Transcript records. Each aggregate has its own sealed sub-hierarchy, so a projector's
 * {@code switch} over one aggregate's events is checked for exhaustiveness by the compiler.
 */
public interface TranscriptEvent {

    /** The id of the aggregate that emitted the event; also the Kafka record key. */
    String aggregateId();
}
