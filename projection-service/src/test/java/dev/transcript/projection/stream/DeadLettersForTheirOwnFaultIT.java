package dev.transcript.projection.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.CloudEventRecords;
import dev.transcript.projection.support.DeadLetterTopic;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Http;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.TestPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finding 5 of issue 12: an event is dead-lettered for its own fault only. A poison event moves its aggregate past
 * it (recorded in {@code projection.dead_letter}), so the events after it apply; an event after a missing sequence
 * is not at fault and waits for it past every attempt, reported as a gap in the status API, the gauge and the log,
 * never dead-lettered in the missing event's place. (Before, the poison's successor was parked as a gap, and a gap's
 * successor was dead-lettered after max-attempts: the wrong event lost either way.)
 */
@LocalInfrastructure
@TestPropertySource(properties = {"transcript.projection.parked.max-attempts=3",
        "transcript.projection.parked.max-backoff-seconds=1"})
class DeadLettersForTheirOwnFaultIT {

    static final Duration LANDS = Duration.ofSeconds(30);

    @Autowired
    RecordBatches batches;
    @Autowired
    GatewayProjector projector;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaProperties kafka;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    SessionStory story;
    EventLog log;
    GatewayTables tables;

    @BeforeEach
    void aSessionWithItsFirstMessage() {
        story = new SessionStory();
        log = new EventLog();
        tables = new GatewayTables(jdbc);
        deliver(log.append(story.userRegistered()));
        deliver(log.append(story.sessionStarted(log.now().plusSeconds(3600))));
        deliver(log.append(story.message(1, MessageRole.USER, "first", 1)));
    }

    @Test
    void a_poison_event_is_dead_lettered_in_its_turn_and_the_events_after_it_apply() {
        MessagePosted second = story.message(2, MessageRole.USER, "second", 1);
        Published poison = log.append(second, builder -> builder.withData("application/json",
                PoisonRecordIT.withField(second, "role", "robot"))); // no such role: data that does not fit
        Published third = log.append(story.message(3, MessageRole.USER, "third", 1));
        Published fourth = log.append(story.message(4, MessageRole.USER, "fourth", 1));

        deliver(poison, third);
        deliver(fourth);

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                GatewayProjector.READ_MODEL, poison.key(), poison.consumerRecord().partition(),
                poison.consumerRecord().offset(), LANDS);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("data does not fit");
        // The dead letter is sent before the poll's transaction commits the rows after it.
        await("the poll that dead-lettered it committed").atMost(LANDS).until(() -> lastSequence() == fourth.sequence());
        assertThat(tables.row("chat_messages", story.messageId(3))).containsEntry("content", "third");
        assertThat(tables.row("chat_messages", story.messageId(4))).containsEntry("content", "fourth");
        assertThat(tables.row("chat_messages", story.messageId(2))).isEmpty();
        assertThat(lastSequence()).isEqualTo(fourth.sequence());
        assertThat(parked()).isZero();
        assertThat(jdbc.queryForList("""
                SELECT aggregate_id, sequence, event_id FROM projection.dead_letter
                WHERE read_model = 'gateway' AND aggregate_id = ?""", story.sessionId.toString()))
                .containsExactly(Map.of("aggregate_id", story.sessionId.toString(), "sequence", poison.sequence(),
                        "event_id", poison.id()));
        assertThat(DeadLetterTopic.deadLettersSoFar(brokers())).noneMatch(record -> third.key().equals(record.key()) // offsets repeat across this class's tests
                && DeadLetterTopic.isDeadLetterOf(record, third.consumerRecord().partition(), third.consumerRecord().offset()));
    }

    /**
     * Metadata nested past the parser's depth limit (1,000): the record cannot be decoded by any consumer (finding 3,
     * 999 deep), yet it still names its aggregate and sequence, so it is dead-lettered in its turn, not a stall.
     */
    @Test
    void an_event_too_deep_to_decode_is_dead_lettered_in_its_turn_and_the_events_after_it_apply() {
        Published deep = log.append(story.message(2, MessageRole.USER, "deep", 1));
        String nested = "{\"n\":".repeat(1_200) + "1" + "}".repeat(1_200);
        String json = new String(deep.value(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"metadata\":{}");
        byte[] undecodable = json.replace("\"metadata\":{}", "\"metadata\":" + nested).getBytes(StandardCharsets.UTF_8);
        Published third = log.append(story.message(3, MessageRole.USER, "third", 1));

        batches.apply(projector, List.of(new ConsumerRecord<>(CloudEventRecords.TOPIC, deep.partition(), deep.offset(),
                deep.key(), undecodable), third.consumerRecord()));

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                GatewayProjector.READ_MODEL, deep.key(), deep.partition(), deep.offset(), LANDS);
        assertThat(deadLetter.value()).isEqualTo(undecodable);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("not a CloudEvent");
        assertThat(tables.row("chat_messages", story.messageId(3))).containsEntry("content", "third");
        assertThat(lastSequence()).isEqualTo(third.sequence());
        assertThat(deadLettered()).isEqualTo(1);
    }

    @Test
    void an_event_after_a_missing_sequence_waits_for_it_past_every_attempt_reported_and_applies_when_it_comes() {
        Published missing = log.append(story.message(2, MessageRole.USER, "late", 1)); // not delivered yet
        Published after = log.append(story.message(3, MessageRole.USER, "after the hole", 1));
        deliver(after);

        await("the event after the hole retried past max-attempts (3)").atMost(LANDS).until(() -> attemptsOfParked() > 3);
        assertThat(parked()).isEqualTo(1);
        assertThat(tables.row("chat_messages", story.messageId(3))).isEmpty();
        assertThat(deadLettered()).isZero();
        assertThat(DeadLetterTopic.deadLettersSoFar(brokers())).noneMatch(record -> after.key().equals(record.key()) // offsets repeat across this class's tests
                && DeadLetterTopic.isDeadLetterOf(record, after.consumerRecord().partition(), after.consumerRecord().offset()));

        JsonNode gateway = readModelStatus();
        assertThat(gateway.path("listener").asText()).isIn("running", "disabled");
        assertThat(gateway.path("parked").asLong()).isPositive();
        assertThat(gateway.path("lag").asLong()).as("lag counts what is parked").isGreaterThanOrEqualTo(
                gateway.path("parked").asLong());
        assertThat(gateway.path("gaps").asInt()).isPositive();
        JsonNode gap = StreamSupport.stream(gateway.path("missing").spliterator(), false)
                .filter(node -> node.path("aggregateId").asText().equals(story.sessionId.toString()))
                .findFirst().orElseThrow();
        assertThat(gap.path("missing").asLong()).isEqualTo(missing.sequence());
        assertThat(gap.path("next").asLong()).isEqualTo(after.sequence());
        assertThat(gap.path("waiting").asLong()).isEqualTo(1);
        assertThat(meters.get("transcript.projection.gaps").tag("read_model", "gateway").gauge().value())
                .isGreaterThanOrEqualTo(1);

        deliver(missing);

        await("the missing event and the one after it applied").atMost(LANDS).untilAsserted(() -> {
            assertThat(tables.row("chat_messages", story.messageId(2))).containsEntry("content", "late");
            assertThat(tables.row("chat_messages", story.messageId(3))).containsEntry("content", "after the hole");
        });
        assertThat(lastSequence()).isEqualTo(after.sequence());
        assertThat(parked()).isZero();
        assertThat(readModelStatus().path("missing").findValuesAsText("aggregateId"))
                .doesNotContain(story.sessionId.toString());
    }

    private JsonNode readModelStatus() {
        Http.Answer status = new Http(port).get("/api/projections/status");
        assertThat(status.status()).isEqualTo(200);
        return StreamSupport.stream(status.body().path("readModels").spliterator(), false)
                .filter(node -> node.path("readModel").asText().equals(GatewayProjector.READ_MODEL))
                .findFirst().orElseThrow();
    }

    private void deliver(Published... poll) {
        batches.apply(projector, EventLog.records(List.of(poll)));
    }

    private Long lastSequence() {
        return jdbc.queryForObject("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Long.class, story.sessionId.toString());
    }

    private int parked() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Integer.class, story.sessionId.toString());
    }

    private int attemptsOfParked() {
        return jdbc.queryForObject("""
                SELECT COALESCE(max(attempts), 0) FROM projection.parked_event
                WHERE read_model = 'gateway' AND aggregate_id = ?""", Integer.class, story.sessionId.toString());
    }

    private int deadLettered() {
        return jdbc.queryForObject("""
                SELECT count(*) FROM projection.dead_letter WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Integer.class, story.sessionId.toString());
    }

    private String brokers() {
        return String.join(",", kafka.getBootstrapServers());
    }
}
