package dev.transcript.projection.contract;

import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.stream.Projector;
import dev.transcript.projection.support.CloudEventRecords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The property test's limits through the real broker and listeners, once: the stories of the longest strings in
 * 4-byte characters, text past chat_app's 65,535 bytes, nesting one past 32, the largest arrays and maps and every
 * type's plain event, as {@link PipelinePropertyIT} generates them, minus its known gaps, are produced to the topic
 * and applied by every read model's own consumer group: each aggregate at its last sequence, nothing parked, nothing
 * dead-lettered.
 */
@LocalInfrastructure
// A broker and database of its own: its hundreds of records would land on partitions other classes of the shared
// context count on being untouched (ReadApiIT's status probe).
@TestPropertySource(properties = "transcript.test.context=pipeline-over-kafka")
class PipelineOverKafkaIT {

    private static final Logger log = LoggerFactory.getLogger(PipelineOverKafkaIT.class);
    private static final Duration APPLIED = Duration.ofMinutes(3);
    private static final Pattern AT_THE_LIMITS = Pattern.compile(
            "× 4-byte|no max|depth 33$|1,000|50 objects|plain");

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    List<Projector> projectors;
    @Autowired
    MeterRegistry meters;

    @Test
    void events_at_the_limits_the_contract_allows_reach_every_read_model_through_the_broker() throws Exception {
        List<Story> stories = Classified.by(Contract.current(), PipelinePropertyIT.SEED).allowed().stream()
                .filter(story -> AT_THE_LIMITS.matcher(story.candidate().valueClass()).find())
                .toList();
        Map<String, Double> deadLetteredBefore = deadLettered();
        Map<String, Long> lastSequences = new HashMap<>();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Story story : stories) {
            for (Story.Event event : story.events()) {
                sent.add(kafka.send(producerRecord(event))); // in order per key: one idempotent producer
                lastSequences.merge(event.aggregateId(), event.sequence(), Math::max);
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        log.info("{} stories at the limits produced (seed {})", stories.size(), PipelinePropertyIT.SEED);

        for (Projector projector : projectors) {
            await(projector.readModel() + " at every aggregate's last sequence").atMost(APPLIED)
                    .untilAsserted(() -> assertThat(positionsOf(projector.readModel(), lastSequences.keySet()))
                            .as("seed %d", PipelinePropertyIT.SEED).isEqualTo(lastSequences));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = ?",
                    Long.class, projector.readModel())).as(projector.readModel() + " parked").isZero();
        }
        assertThat(deadLettered()).as("dead letters per read model").isEqualTo(deadLetteredBefore);
    }

    private Map<String, Double> deadLettered() {
        Map<String, Double> counts = new HashMap<>();
        for (Projector projector : projectors) {
            Counter counter = meters.find("transcript.projection.dead_lettered")
                    .tag("read_model", projector.readModel()).counter();
            counts.put(projector.readModel(), counter == null ? 0 : counter.count());
        }
        return counts;
    }

    private Map<String, Long> positionsOf(String readModel, Set<String> aggregateIds) {
        Map<String, Long> positions = new HashMap<>();
        jdbc.query("""
                SELECT aggregate_id, last_sequence FROM projection.aggregate_position
                WHERE read_model = ? AND aggregate_id = ANY (?)""",
                row -> {
                    positions.put(row.getString(1), row.getLong(2));
                }, readModel, aggregateIds.toArray(String[]::new));
        return positions;
    }

    private static ProducerRecord<String, byte[]> producerRecord(Story.Event event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(CloudEventRecords.TOPIC, event.aggregateId(),
                Delivery.cloudEvent(event));
        record.headers().add(CloudEventRecords.CONTENT_TYPE_HEADER,
                "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
