package dev.transcript.projection.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Map;

/**
 * Retries parked events, per aggregate and in order, with exponential back-off. A head event that still
 * can't be applied after {@code max-attempts} goes to the dead-letter topic with its last reason, and its
 * aggregate moves on past it: nothing is dropped silently, and one bad event does not stall its aggregate
 * for ever.
 */
@Component
class ParkedEventDrainer {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventDrainer.class);

    private final List<Projector> projectors;
    private final BatchApplier applier;
    private final Bookkeeping books;
    private final EnvelopeDecoder decoder;
    private final DeadLetters deadLetters;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final int maxAttempts;
    private final long maxBackoffSeconds;

    ParkedEventDrainer(List<Projector> projectors, BatchApplier applier, Bookkeeping books, EnvelopeDecoder decoder,
                       DeadLetters deadLetters, JdbcTemplate jdbc, TransactionTemplate transactions,
                       @Value("${transcript.projection.parked.max-attempts:10}") int maxAttempts,
                       @Value("${transcript.projection.parked.max-backoff-seconds:60}") long maxBackoffSeconds) {
        this.projectors = projectors;
        this.applier = applier;
        this.books = books;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.maxAttempts = maxAttempts;
        this.maxBackoffSeconds = maxBackoffSeconds;
    }

    record Parked(long id, String aggregateId, long sequence, byte[] cloudEvent, String topic, int partition,
                  long offset, int attempts, String reason) {
    }

    @Scheduled(fixedDelayString = "${transcript.projection.parked.drain-interval:500ms}")
    void drainAll() {
        for (Projector projector : projectors) {
            for (String aggregateId : dueAggregates(projector.readModel())) {
                try {
                    transactions.executeWithoutResult(status -> drain(projector, aggregateId, status));
                } catch (RuntimeException e) {
                    log.warn("{}: draining {} failed; will retry", projector.readModel(), aggregateId, e);
                }
            }
        }
    }

    /** Aggregates whose first parked event is due. */
    private List<String> dueAggregates(String readModel) {
        return jdbc.queryForList("""
                SELECT aggregate_id FROM (
                    SELECT DISTINCT ON (aggregate_id) aggregate_id, next_attempt_at FROM projection.parked_event
                    WHERE read_model = ? ORDER BY aggregate_id, sequence) AS head
                WHERE next_attempt_at <= now() LIMIT 200""", String.class, readModel);
    }

    private void drain(Projector projector, String aggregateId, TransactionStatus transaction) {
        String readModel = projector.readModel();
        books.lock(readModel, List.of(aggregateId));
        long expected = books.positions(readModel, List.of(aggregateId)).getOrDefault(aggregateId, -1L) + 1;
        for (Parked head : parkedEventsOf(readModel, aggregateId)) {
            if (head.sequence() < expected) {
                delete(head); // applied meanwhile by a redelivery
                continue;
            }
            Envelope envelope = decoder.decode(new ConsumerRecord<>(head.topic(), head.partition(), head.offset(),
                    aggregateId, head.cloudEvent()));
            Outcome outcome = head.sequence() > expected
                    ? new Outcome.WaitFor(null, "gap: expected sequence " + expected)
                    : applier.isolated(projector, envelope, transaction);
            if (outcome instanceof Outcome.WaitFor wait) {
                if (head.attempts() + 1 < maxAttempts) {
                    postpone(head, wait.reason());
                    break;
                }
                deadLetters.send(readModel, envelope.origin(), aggregateId, head.cloudEvent(),
                        "gave up after " + maxAttempts + " attempts: " + wait.reason());
            }
            delete(head);
            expected = head.sequence() + 1;
            books.savePositions(readModel, Map.of(aggregateId, head.sequence()));
            books.wakeWaitingFor(readModel, List.of(aggregateId));
        }
    }

    private List<Parked> parkedEventsOf(String readModel, String aggregateId) {
        return jdbc.query("""
                SELECT id, aggregate_id, sequence, cloud_event, source_topic, source_partition, source_offset,
                       attempts, reason
                FROM projection.parked_event WHERE read_model = ? AND aggregate_id = ? ORDER BY sequence""",
                (row, n) -> new Parked(row.getLong(1), row.getString(2), row.getLong(3), row.getBytes(4),
                        row.getString(5), row.getInt(6), row.getLong(7), row.getInt(8), row.getString(9)),
                readModel, aggregateId);
    }

    private void postpone(Parked head, String reason) {
        long backoff = Math.min(1L << Math.min(head.attempts(), 20), maxBackoffSeconds);
        jdbc.update("""
                UPDATE projection.parked_event SET attempts = attempts + 1, reason = ?,
                    next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?""", reason, backoff, head.id());
    }

    private void delete(Parked parked) {
        jdbc.update("DELETE FROM projection.parked_event WHERE id = ?", parked.id());
    }
}
