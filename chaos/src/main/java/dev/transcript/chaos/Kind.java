package dev.transcript.chaos;

/** What an acknowledged command created, and the event type in the store that holds it. */
enum Kind {
    USER("UserRegistered"),
    SESSION("SessionStarted"),
    MESSAGE("MessagePosted"),
    TOKEN_USAGE("TokenUsageRecorded"),
    CHECKPOINT("CheckpointCreated");

    /** The simple name of the event class, as the end of the store's payload_type. */
    final String eventType;

    Kind(String eventType) {
        this.eventType = eventType;
    }
}
