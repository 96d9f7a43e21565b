package dev.transcript.projection.gateway;

import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.IsolatedProjection;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.transcript.projection.support.EventLog.concat;
import static dev.transcript.projection.support.EventLog.records;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At-least-once delivery: a whole session delivered twice must leave every gateway table exactly as delivering
 * it once does. Each delivery goes to a projection-service of its own on a fresh database, so the comparison is
 * of whole tables ({@code SELECT * … ORDER BY id} of each), not of rows picked by id.
 */
class RedeliveryIT {

    static final Map<String, Integer> WHOLE_SESSION_ROWS = counts(
            "users", 1, "sessions", 1, "conversations", 1, "chat_messages", 3, "containers", 1,
            "git_checkpoints", 1, "token_usage", 2);

    static SessionStory story;
    static List<Published> session;
    static IsolatedProjection once;
    static Map<String, List<Map<String, Object>>> deliveredOnce;
    static List<IsolatedProjection> started = new ArrayList<>();

    @BeforeAll
    static void deliverTheWholeSessionOnceToAProjectionOfItsOwn() {
        story = new SessionStory();
        session = story.wholeSession(new EventLog(Instant.parse("2026-03-01T09:00:00Z")));
        once = start();
        once.deliver(records(session));
        deliveredOnce = once.tables().dump();
        assertThat(countsOf(deliveredOnce)).as("the whole session, delivered once").isEqualTo(WHOLE_SESSION_ROWS);
        assertThat(deliveredOnce.get("sessions").getFirst()).containsEntry("status", "stopped");
    }

    @AfterAll
    static void stop() {
        started.forEach(IsolatedProjection::close);
    }

    @Test
    void a_whole_session_delivered_twice_in_one_poll_leaves_every_table_as_delivering_it_once() {
        IsolatedProjection twice = start();

        twice.deliver(concat(records(session), records(session)));

        assertThat(twice.tables().dump()).isEqualTo(deliveredOnce);
        assertThat(twice.bookkeeping()).isEqualTo(once.bookkeeping());
    }

    @Test
    void a_whole_session_delivered_again_in_a_second_poll_changes_no_row() {
        IsolatedProjection twice = start();

        twice.deliver(records(session));
        Map<String, List<Map<String, Object>>> afterFirst = twice.tables().dump();
        twice.deliver(records(session));

        assertThat(afterFirst).isEqualTo(deliveredOnce);
        assertThat(twice.tables().dump()).isEqualTo(afterFirst);
        assertThat(twice.bookkeeping()).isEqualTo(once.bookkeeping());
    }

    @Test
    void overlapping_and_doubled_polls_as_after_a_rebalance_change_no_row() {
        IsolatedProjection redelivered = start();
        List<ConsumerRecord<String, byte[]>> records = records(session);

        redelivered.deliver(records.subList(0, 9));                    // a poll, committed
        redelivered.deliver(records.subList(5, records.size()));      // an overlapping poll after a rebalance
        redelivered.deliver(eachTwiceInARow(records));                  // the whole log again, every record doubled
        redelivered.deliver(records.subList(records.size() - 1, records.size())); // the last record once more

        assertThat(redelivered.tables().dump()).isEqualTo(deliveredOnce);
        assertThat(redelivered.bookkeeping()).isEqualTo(once.bookkeeping());
    }

    @Test
    void delivered_once_nothing_is_parked_and_each_aggregate_is_at_its_last_sequence() {
        assertThat(once.bookkeeping().get("parked_event")).asList().isEmpty();
        assertThat(once.bookkeeping().get("aggregate_position")).asList().containsExactlyInAnyOrder(
                Map.of("aggregate_id", story.userId.toString(), "last_sequence", 0L),
                Map.of("aggregate_id", story.sessionId.toString(), "last_sequence", (long) session.size() - 2));
    }

    private static IsolatedProjection start() {
        IsolatedProjection projection = IsolatedProjection.start();
        started.add(projection);
        return projection;
    }

    private static List<ConsumerRecord<String, byte[]>> eachTwiceInARow(List<ConsumerRecord<String, byte[]>> records) {
        List<ConsumerRecord<String, byte[]>> doubled = new ArrayList<>();
        records.forEach(record -> {
            doubled.add(record);
            doubled.add(record);
        });
        return doubled;
    }

    private static Map<String, Integer> countsOf(Map<String, List<Map<String, Object>>> dump) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        dump.forEach((table, rows) -> counts.put(table, rows.size()));
        return counts;
    }

    private static Map<String, Integer> counts(Object... tablesAndCounts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < tablesAndCounts.length; i += 2) {
            counts.put((String) tablesAndCounts[i], (Integer) tablesAndCounts[i + 1]);
        }
        return counts;
    }
}
