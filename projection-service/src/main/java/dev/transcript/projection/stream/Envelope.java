package dev.transcript.projection.stream;

import dev.transcript.events.TranscriptEvent;

import java.time.Instant;

/**
 * One decoded CloudEvent. {@code event} is null for a type this build does not know (a newer version
 * from a newer producer): such an event is skipped and counted, its position still advanced.
 *
 * @param cloudEvent the record's bytes as received, kept to park or dead-letter the event unchanged
 * @param key        the record's key, which the publisher makes the aggregate id; a dead letter keeps it
 * @param poison     why the event can never be applied (its data could not be decoded), null for an event that
 *                   can: a poison event still names its aggregate and sequence, so it is dead-lettered in its
 *                   turn and its aggregate moves on past it
 */
public record Envelope(String eventId, String type, String aggregateId, long sequence, Instant time,
                       TranscriptEvent event, byte[] cloudEvent, Origin origin, String key,
                       String poison) {

    public boolean known() {
        return event != null;
    }

    boolean poisoned() {
        return poison != null;
    }
}
