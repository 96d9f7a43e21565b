package dev.transcript.projection.stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The SQL of the {@code projection} schema: positions per aggregate, parked events, partition progress. */
@Component
class Bookkeeping {

    private final JdbcTemplate jdbc;

    Bookkeeping(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Serialises everyone applying events of these aggregates (listeners of two instances during a
     * rebalance, the drainer) until the transaction ends. Sorted, so two batches cannot deadlock.
     */
    void lock(String readModel, Collection<String> aggregateIds) {
        long[] keys = aggregateIds.stream().mapToLong(id -> (readModel + "/" + id).hashCode()).sorted().distinct().toArray();
        jdbc.query("SELECT pg_advisory_xact_lock(k) FROM unnest(?::bigint[]) AS k ORDER BY k",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", box(keys))), row -> { });
    }

    Map<String, Long> positions(String readModel, Collection<String> aggregateIds) {
        Map<String, Long> positions = new HashMap<>();
        jdbc.query("""
                SELECT aggregate_id, last_sequence FROM projection.aggregate_position
                WHERE read_model = ? AND aggregate_id = ANY (?)""",
                ps -> {
                    ps.setString(1, readModel);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", aggregateIds.toArray()));
                },
                row -> {
                    positions.put(row.getString(1), row.getLong(2));
                });
        return positions;
    }

    void savePositions(String readModel, Map<String, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        positions.forEach((aggregateId, sequence) -> rows.add(new Object[]{readModel, aggregateId, sequence}));
        jdbc.batchUpdate("""
                INSERT INTO projection.aggregate_position (read_model, aggregate_id, last_sequence) VALUES (?, ?, ?)
                ON CONFLICT (read_model, aggregate_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence""", rows);
    }

    Set<String> aggregatesWithParkedEvents(String readModel, Collection<String> aggregateIds) {
        return new HashSet<>(jdbc.query("""
                SELECT DISTINCT aggregate_id FROM projection.parked_event
                WHERE read_model = ? AND aggregate_id = ANY (?)""",
                ps -> {
                    ps.setString(1, readModel);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", aggregateIds.toArray()));
                },
                (row, n) -> row.getString(1)));
    }

    void park(String readModel, Envelope envelope, String waitingFor, String reason) {
        jdbc.update("""
                INSERT INTO projection.parked_event (read_model, aggregate_id, sequence, event_id, event_type,
                    cloud_event, source_topic, source_partition, source_offset, waiting_for, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (read_model, event_id) DO NOTHING""",
                readModel, envelope.aggregateId(), envelope.sequence(), envelope.eventId(), envelope.type(),
                envelope.cloudEvent(), envelope.origin().topic(), envelope.origin().partition(),
                envelope.origin().offset(), waitingFor, reason);
    }

    /**
     * Makes events parked for one of these parents due now, since their parent has just arrived; for a listener,
     * which holds no parked row yet. Their rows are locked in (aggregate, sequence) order, the order the drainer
     * locks its own in ({@link ParkedEventDrainer}), so a listener waking rows the drainer is retrying waits for
     * it instead of deadlocking with it: both updating the same two rows in opposite orders did, once in a while.
     */
    void wakeWaitingFor(String readModel, Collection<String> parentIds) {
        wake(readModel, parentIds, "FOR UPDATE");
    }

    /**
     * The same for the drainer, which already holds its own aggregates' rows and so must not wait for another's:
     * a row someone else holds is left alone. That one is being woken by a listener or retried by the drainer of
     * another instance; at worst it waits for its back-off, never longer.
     */
    void wakeWaitingForUnlessHeld(String readModel, Collection<String> parentIds) {
        wake(readModel, parentIds, "FOR UPDATE SKIP LOCKED");
    }

    private void wake(String readModel, Collection<String> parentIds, String locking) {
        if (!parentIds.isEmpty()) {
            jdbc.update("""
                    UPDATE projection.parked_event SET next_attempt_at = now()
                    WHERE id IN (SELECT id FROM projection.parked_event
                                 WHERE read_model = ? AND waiting_for = ANY (?)
                                 ORDER BY aggregate_id, sequence %s)""".formatted(locking),
                    ps -> {
                        ps.setString(1, readModel);
                        ps.setArray(2, ps.getConnection().createArrayOf("varchar", parentIds.toArray()));
                    });
        }
    }

    record Progress(String topic, int partition, long nextOffset, java.time.Instant lastEventTime) {
    }

    void saveProgress(String readModel, Collection<Progress> progress) {
        jdbc.batchUpdate("""
                INSERT INTO projection.partition_progress (read_model, topic, partition, next_offset, last_event_time, updated_at)
                VALUES (?, ?, ?, ?, ?, now())
                ON CONFLICT (read_model, topic, partition) DO UPDATE SET next_offset = GREATEST(
                    projection.partition_progress.next_offset, EXCLUDED.next_offset),
                    last_event_time = EXCLUDED.last_event_time, updated_at = now()""",
                progress.stream().map(p -> new Object[]{readModel, p.topic(), p.partition(), p.nextOffset(),
                        p.lastEventTime() == null ? null : Timestamp.from(p.lastEventTime())}).toList());
    }

    private static Long[] box(long[] keys) {
        Long[] boxed = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            boxed[i] = keys[i];
        }
        return boxed;
    }
}
