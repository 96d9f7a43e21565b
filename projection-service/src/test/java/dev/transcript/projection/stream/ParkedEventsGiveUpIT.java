package dev.transcript.projection.stream;

import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.DeadLetterTopic;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A parked event that can never be applied is retried max-attempts times, then dead-lettered with its last
 * reason, and its aggregate moves on: whether it waits for a parent that never comes or its write keeps failing.
 */
@LocalInfrastructure
@TestPropertySource(properties = {"transcript.projection.parked.max-attempts=3",
        "transcript.projection.parked.max-backoff-seconds=1"})
class ParkedEventsGiveUpIT {

    static final Duration GIVES_UP = Duration.ofSeconds(30);
    static final String REFUSED = "refused by this test";

    @Autowired
    RecordBatches batches;
    @Autowired
    GatewayProjector projector;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    KafkaProperties kafka;

    SessionStory story;
    EventLog log;
    GatewayTables tables;

    @BeforeEach
    void aStoryAndATriggerThatRefusesOneCheckpoint() {
        story = new SessionStory();
        log = new EventLog();
        tables = new GatewayTables(jdbc);
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION gateway.refuse_checkpoint() RETURNS trigger AS $$
                BEGIN
                    IF NEW.description = '%s' THEN RAISE EXCEPTION '%s'; END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql""".formatted(REFUSED, REFUSED));
        jdbc.execute("""
                CREATE OR REPLACE TRIGGER refuse_checkpoint BEFORE INSERT ON gateway.git_checkpoints
                FOR EACH ROW EXECUTE FUNCTION gateway.refuse_checkpoint()""");
    }

    @Test
    void a_write_that_keeps_failing_is_dead_lettered_and_its_session_goes_on() {
        deliver(story.userRegistered());
        deliver(story.sessionStarted(log.now().plusSeconds(3600)));
        deliver(story.message(1, MessageRole.USER, "hello", 3));
        UUID refusedId = UUID.randomUUID();
        var refused = story.checkpoint(refusedId, 1);
        Published checkpoint = deliver(new dev.transcript.events.session.CheckpointCreated(refused.sessionId(),
                refused.checkpointId(), refused.commitHash(), refused.messageNumber(), REFUSED, refused.filesChanged()));
        Published stopped = deliver(story.stopped());

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                GatewayProjector.READ_MODEL, checkpoint.consumerRecord().partition(), checkpoint.consumerRecord().offset(),
                GIVES_UP);

        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains("gave up after 3 attempts").contains(REFUSED);
        await("the session's next event applied").atMost(GIVES_UP).untilAsserted(() ->
                assertThat(tables.row("sessions", story.sessionId)).containsEntry("status", "stopped"));
        assertThat(tables.row("git_checkpoints", refusedId)).isEmpty();
        assertThat(parked(story.sessionId.toString())).isZero();
        assertThat(jdbc.queryForObject("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Long.class, story.sessionId.toString())).isEqualTo(stopped.sequence());
    }

    @Test
    void an_event_whose_parent_never_comes_is_dead_lettered_after_its_attempts() {
        Published orphan = deliver(story.sessionStarted(log.now().plusSeconds(3600))); // its user never registers

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                GatewayProjector.READ_MODEL, orphan.consumerRecord().partition(), orphan.consumerRecord().offset(),
                GIVES_UP);

        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains("gave up after 3 attempts").contains(story.userId.toString());
        await("nothing left parked").atMost(GIVES_UP).untilAsserted(() ->
                assertThat(parked(story.sessionId.toString())).isZero());
        assertThat(tables.row("sessions", story.sessionId)).isEmpty();
    }

    private Published deliver(dev.transcript.events.TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        return published;
    }

    private int parked(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ?",
                Integer.class, aggregateId);
    }

    private String brokers() {
        return String.join(",", kafka.getBootstrapServers());
    }
}
