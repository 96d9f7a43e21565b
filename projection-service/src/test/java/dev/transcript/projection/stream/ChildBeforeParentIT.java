package dev.transcript.projection.stream;

import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.support.CloudEventRecords;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka orders events per key only: a session's events (keyed by the session) can be consumed before its
 * user's registration (keyed by the user, in another partition). Through the real broker and listener, the
 * session must wait parked, without holding up any other key, and land as soon as its user does.
 */
@LocalInfrastructure
class ChildBeforeParentIT {

    static final Duration LANDS = Duration.ofSeconds(30);

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void a_session_consumed_before_its_user_waits_parked_without_holding_up_other_keys_and_lands_with_its_user()
            throws Exception {
        GatewayTables tables = new GatewayTables(jdbc);
        EventLog log = new EventLog();

        SessionStory existing = new SessionStory();
        send(log.append(existing.userRegistered()).producerRecord());
        await("the existing user's row").atMost(LANDS)
                .until(() -> !tables.row("users", existing.userId).isEmpty());

        // The stuck session: all its events in one partition, its user not published at all yet.
        SessionStory stuck = new SessionStory();
        int sessionPartition = CloudEventRecords.partitionOf(stuck.sessionId.toString());
        int userPartition = (sessionPartition + 1) % CloudEventRecords.PARTITIONS;
        Published started = log.append(stuck.sessionStarted(log.now().plusSeconds(1)));
        send(started.producerRecord(sessionPartition));
        send(log.append(stuck.containerCreated()).producerRecord(sessionPartition));
        send(log.append(stuck.message(1, MessageRole.USER, "hello", 3)).producerRecord(sessionPartition));

        // Behind it, in the same partition: another session, of the user who is already projected.
        SessionStory unrelated = existing.anotherSessionOfTheSameUser();
        send(log.append(unrelated.sessionStarted(log.now().plusSeconds(1))).producerRecord(sessionPartition));
        send(log.append(unrelated.message(1, MessageRole.USER, "hi", 2)).producerRecord(sessionPartition));

        await("the unrelated session applied, the stuck one parked").atMost(LANDS).untilAsserted(() -> {
            assertThat(tables.row("conversations", unrelated.conversationId)).containsEntry("messages_count", 1);
            assertThat(parkedOf(stuck.sessionId.toString())).extracting(row -> row.get("sequence"))
                    .containsExactly(0L, 1L, 2L);
        });
        List<Map<String, Object>> parked = parkedOf(stuck.sessionId.toString());
        assertThat(parked.get(0))
                .containsEntry("event_id", started.id())
                .containsEntry("event_type", "transcript.session.SessionStarted.v1")
                .containsEntry("waiting_for", stuck.userId.toString())
                .containsEntry("source_partition", sessionPartition);
        assertThat((String) parked.get(0).get("reason")).contains(stuck.userId.toString());
        assertThat(parked.subList(1, 3)).allSatisfy(row -> {
            assertThat(row).containsEntry("waiting_for", null);
            assertThat((String) row.get("reason")).contains("behind an earlier parked event");
        });
        assertThat(tables.row("sessions", stuck.sessionId)).as("no session row before its user's").isEmpty();
        assertThat(tables.row("sessions", unrelated.sessionId)).containsEntry("user_id", existing.userId);
        assertThat(parkedOf(unrelated.sessionId.toString())).isEmpty();

        // The user arrives, in another partition: the parked session follows at once, in order.
        send(log.append(stuck.userRegistered()).producerRecord(userPartition));

        await("the stuck session landed with its user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(stuck.sessionId.toString())).isEmpty();
            assertThat(tables.row("sessions", stuck.sessionId))
                    .containsEntry("user_id", stuck.userId)
                    .containsEntry("status", "pending")
                    .containsEntry("container_id", stuck.containerId)
                    .containsEntry("created_at", started.time());
        });
        assertThat(tables.row("users", stuck.userId)).containsEntry("email", stuck.email);
        assertThat(tables.row("conversations", stuck.conversationId)).containsEntry("messages_count", 1);
        assertThat(tables.row("containers", stuck.containerId)).containsEntry("status", "creating");
        assertThat(tables.row("chat_messages", stuck.messageId(1))).containsEntry("content", "hello");
        assertThat(lastSequenceOf(stuck.sessionId.toString())).isEqualTo(2L);
        assertThat(parkedOf(stuck.userId.toString())).isEmpty();
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        return kafka.send(record).get(10, TimeUnit.SECONDS).getRecordMetadata();
    }

    private List<Map<String, Object>> parkedOf(String aggregateId) {
        return jdbc.queryForList("""
                SELECT sequence, event_id, event_type, waiting_for, reason, source_partition
                FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ? ORDER BY sequence""",
                aggregateId);
    }

    private Long lastSequenceOf(String aggregateId) {
        return jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'gateway' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }
}
