package dev.transcript.projection.support;

import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Publishes events as command-service would: each aggregate's sequence numbers from 0 without gaps, event
 * times one second apart (PostgreSQL keeps microseconds, so they are whole seconds here), the record key the
 * aggregate id, its partition the default partitioner's, and offsets counting up per partition.
 */
public final class EventLog {

    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<Integer, Long> offsets = new HashMap<>();
    private Instant clock;

    public EventLog(Instant start) {
        this.clock = start.truncatedTo(ChronoUnit.SECONDS);
    }

    public EventLog() {
        this(Instant.now());
    }

    /** The next event of its aggregate, as command-service encodes it. */
    public Published append(TranscriptEvent event) {
        return append(event, builder -> builder);
    }

    /** The next event of its aggregate, with the CloudEvent changed before it is built (e.g. another type). */
    public Published append(TranscriptEvent event, UnaryOperator<CloudEventBuilder> change) {
        long sequence = sequences.merge(event.aggregateId(), 0L, (last, zero) -> last + 1);
        clock = clock.plusSeconds(1);
        CloudEvent cloudEvent = change.apply(CloudEventRecords.builder(event, sequence, clock)).build();
        int partition = CloudEventRecords.partitionOf(event.aggregateId());
        return new Published(cloudEvent.getId(), event.aggregateId(), cloudEvent.getType(), sequence, clock, event,
                CloudEventRecords.serialize(cloudEvent), partition, nextOffset(partition));
    }

    /**
     * Moves the clock by {@code by} (back too): the next event is one second after the moved time, e.g. on another
     * day, or, moved back a second, at the same time as the last one.
     */
    public EventLog advance(Duration by) {
        clock = clock.plus(by);
        return this;
    }

    /** The time of the last event appended. */
    public Instant now() {
        return clock;
    }

    private long nextOffset(int partition) {
        return offsets.merge(partition, 0L, (last, zero) -> last + 1);
    }

    public static List<ConsumerRecord<String, byte[]>> records(Collection<Published> published) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(published.size());
        published.forEach(event -> records.add(event.consumerRecord()));
        return records;
    }

    @SafeVarargs
    public static <T> List<T> concat(List<? extends T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<? extends T> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
