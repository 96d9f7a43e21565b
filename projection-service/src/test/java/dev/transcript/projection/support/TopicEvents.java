package dev.transcript.projection.support;

import dev.transcript.events.TranscriptEvent;
import dev.transcript.projection.stream.Envelope;
import dev.transcript.projection.stream.EnvelopeDecoder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events of a topic as the projectors receive them, to look up an event's time: the time a projector writes
 * into {@code created_at}, {@code updated_at} and the like, so a row can be asserted exactly.
 */
public final class TopicEvents {

    private final List<Envelope> envelopes;

    private TopicEvents(List<Envelope> envelopes) {
        this.envelopes = envelopes;
    }

    public static TopicEvents read(String brokers, String topic, EnvelopeDecoder decoder) {
        return new TopicEvents(TopicRecords.readAll(brokers, topic).stream().map(decoder::decode).toList());
    }

    /** The time of the one event of this type of this aggregate. */
    public <T extends TranscriptEvent> Instant timeOf(Class<T> type, UUID aggregateId) {
        return timeOf(type, event -> event.aggregateId().equals(aggregateId.toString()));
    }

    /** The time of the one event of this type that matches. */
    public <T extends TranscriptEvent> Instant timeOf(Class<T> type, Predicate<T> which) {
        List<Envelope> matching = envelopes.stream()
                .filter(envelope -> type.isInstance(envelope.event()) && which.test(type.cast(envelope.event())))
                .toList();
        assertThat(matching).as("events %s that match", type.getSimpleName()).hasSize(1);
        return matching.getFirst().time();
    }
}
