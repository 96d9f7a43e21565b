package dev.transcript.projection.stream;

import dev.transcript.events.TranscriptEvent;

import java.time.Instant;

/**
 * One decoded CloudEvent. {@code event} is null for a type this build does not know (a newer version
 * from a newer producer): such an event is skipped and counted, its position still advanced.
 *
 * @param cloudEvent the record's bytes as received, kept to park or dead-letter the event unchanged
 */
public record Envelope(String eventId, String type, String aggregateId, long sequence, Instant time,
                       TranscriptEvent event, byte[] cloudEvent, Origin origin) {

    public boolean known() {
        return event != null;
    }
}
