package dev.transcript.chaos;

/** One record of transcript.events: the CloudEvent's subject, sequence extension and id. */
record TopicEvent(String aggregateId, long sequence, String eventId) {
}
