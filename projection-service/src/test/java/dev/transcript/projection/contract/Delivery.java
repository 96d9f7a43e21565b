package dev.transcript.projection.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.projection.stream.Envelope;
import dev.transcript.projection.stream.Poison;
import dev.transcript.projection.stream.Projector;
import dev.transcript.projection.support.CloudEventRecords;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivers stories to one read model the way its listener does (decode each record, a poison one dead-lettered;
 * apply the poll in one transaction, falling back to a savepoint per event), each poll twice, on a thread with the
 * services' 512 KiB stack. Records what went wrong per candidate: dead-lettered, parked (the batch applier's
 * "failed: …" or a wait that will never end), or thrown.
 */
final class Delivery {

    /** The services run with -Xss512k (bin/stack): a projector's recursion must fit that, not the test's stack. */
    static final long SERVICE_STACK_BYTES = 512 * 1024;
    private static final int STORIES_PER_POLL = 100;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TIME = Instant.parse("2026-03-02T10:00:00Z");

    private final ProjectionUnderTest projection;
    private final Projector projector;
    private final AtomicLong offsets = new AtomicLong();
    private final Map<Candidate, String> failures = new LinkedHashMap<>();

    Delivery(ProjectionUnderTest projection, String readModel) {
        this.projection = projection;
        this.projector = projection.projector(readModel);
    }

    /** @return what went wrong, per candidate; empty when every story was applied */
    Map<Candidate, String> deliver(List<Story> stories) {
        for (int from = 0; from < stories.size(); from += STORIES_PER_POLL) {
            List<Story> poll = stories.subList(from, Math.min(from + STORIES_PER_POLL, stories.size()));
            Map<String, Story> byAggregate = new HashMap<>();
            poll.forEach(story -> story.aggregateIds().forEach(id -> byAggregate.put(id, story)));
            deliverAttributingThrows(poll);
            parkedIn(byAggregate);
        }
        return failures;
    }

    /** A poll that throws is rolled back whole: its halves are delivered again until the stories that throw are found. */
    private void deliverAttributingThrows(List<Story> poll) {
        try {
            onServiceStack(() -> deliverTwice(poll));
        } catch (Throwable thrown) {
            if (poll.size() == 1) {
                failures.putIfAbsent(poll.getFirst().candidate(), "thrown: " + thrown);
            } else {
                deliverAttributingThrows(poll.subList(0, poll.size() / 2));
                deliverAttributingThrows(poll.subList(poll.size() / 2, poll.size()));
            }
        }
    }

    private void deliverTwice(List<Story> poll) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        Map<ConsumerRecord<String, byte[]>, Story> storyOf = new HashMap<>();
        for (Story story : poll) {
            for (Story.Event event : story.events()) {
                ConsumerRecord<String, byte[]> record = record(event);
                records.add(record);
                storyOf.put(record, story);
            }
        }
        for (int delivery = 0; delivery < 2; delivery++) {
            List<Envelope> envelopes = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                try {
                    envelopes.add(projection.decoder().decode(record));
                } catch (Poison poison) {
                    failures.putIfAbsent(storyOf.get(record).candidate(), "dead-lettered: " + poison.getMessage());
                }
            }
            projection.applier().apply(projector, envelopes);
        }
    }

    private void parkedIn(Map<String, Story> byAggregate) {
        projection.postgres().query("""
                SELECT aggregate_id, event_type, reason FROM projection.parked_event
                WHERE read_model = ? AND aggregate_id = ANY (?) ORDER BY aggregate_id, sequence""",
                row -> {
                    Story story = byAggregate.get(row.getString("aggregate_id"));
                    failures.putIfAbsent(story.candidate(), "parked " + row.getString("event_type") + ": "
                            + abbreviated(row.getString("reason")));
                },
                projector.readModel(), byAggregate.keySet().toArray(String[]::new));
    }

    private ConsumerRecord<String, byte[]> record(Story.Event event) {
        return new ConsumerRecord<>(CloudEventRecords.TOPIC, CloudEventRecords.partitionOf(event.aggregateId()),
                offsets.getAndIncrement(), event.aggregateId(), cloudEvent(event));
    }

    /** The event as command-service publishes it: a structured-mode CloudEvent, its data the generated JSON as is. */
    static byte[] cloudEvent(Story.Event event) {
        byte[] data;
        try {
            data = JSON.writeValueAsBytes(event.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + event.typeName(), e);
        }
        return CloudEventRecords.serialize(CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(CloudEventRecords.SOURCE)
                .withType(event.typeName())
                .withSubject(event.aggregateId())
                .withTime(OffsetDateTime.ofInstant(TIME.plusSeconds(event.sequence()), ZoneOffset.UTC))
                .withDataSchema(URI.create("urn:transcript:schema:" + event.typeName()))
                .withData("application/json", data)
                .withExtension("sequence", Math.toIntExact(event.sequence()))
                .withExtension("partitionkey", event.aggregateId())
                .build());
    }

    static void onServiceStack(Runnable work) throws Throwable {
        Throwable[] thrown = new Throwable[1];
        Thread thread = new Thread(null, () -> {
            try {
                work.run();
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "delivery-512k", SERVICE_STACK_BYTES);
        thread.start();
        thread.join();
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }

    static String abbreviated(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
