package dev.transcript.projection.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Retries parked events, per aggregate and in order, with exponential back-off. A head event that still
 * can't be applied after {@code max-attempts} goes to the dead-letter topic with its last reason, and its
 * aggregate moves on past it: nothing is dropped silently, and one bad event does not stall its aggregate
 * for ever. A head that follows a missing sequence is not at fault: it waits for the missing event for as long
 * as it takes, and the hole is reported ({@link Backlog}).
 *
 * <p>Due aggregates are drained many to a transaction, each under one savepoint, with their writes batched
 * like a poll's: after a catch-up starts on a partition ahead of its users', thousands of events may wait.
 */
@Component
class ParkedEventDrainer {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventDrainer.class);
    private static final int AGGREGATES_PER_TRANSACTION = 100;

    private final List<Projector> projectors;
    private final BatchApplier applier;
    private final Bookkeeping books;
    private final StatementBatch statements;
    private final EnvelopeDecoder decoder;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final int maxAttempts;
    private final long maxBackoffSeconds;
    private final MeterRegistry meters;

    ParkedEventDrainer(List<Projector> projectors, BatchApplier applier, Bookkeeping books, StatementBatch statements,
                       EnvelopeDecoder decoder, JdbcTemplate jdbc,
                       TransactionTemplate transactions, MeterRegistry meters,
                       @Value("${transcript.projection.parked.max-attempts:10}") int maxAttempts,
                       @Value("${transcript.projection.parked.max-backoff-seconds:60}") long maxBackoffSeconds) {
        this.projectors = projectors;
        this.applier = applier;
        this.books = books;
        this.statements = statements;
        this.decoder = decoder;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.maxAttempts = maxAttempts;
        this.maxBackoffSeconds = maxBackoffSeconds;
        this.meters = meters;
    }

    record Parked(long id, String aggregateId, long sequence, byte[] cloudEvent, String topic, int partition,
                  long offset, int attempts) {
    }

    /** What draining one aggregate did: parked rows done with, and the last sequence applied. */
    private record Drained(List<Long> done, Long lastApplied) {
    }

    @Scheduled(fixedDelayString = "${transcript.projection.parked.drain-interval:500ms}")
    void drainAll() {
        for (Projector projector : projectors) {
            List<String> due;
            do {
                due = dueAggregates(projector.readModel());
                List<String> batch = due;
                try {
                    transactions.executeWithoutResult(status -> drain(projector, batch, status));
                } catch (RuntimeException e) {
                    log.warn("{}: draining {} aggregates failed; will retry", projector.readModel(), batch.size(), e);
                    // Counted: the drainer gives up a round quietly, so a dashboard (and a test) must see it.
                    meters.counter("transcript.projection.drain_failures", "read_model", projector.readModel())
                            .increment();
                    return;
                }
            } while (due.size() == AGGREGATES_PER_TRANSACTION);
        }
    }

    /** Aggregates whose first parked event is due. */
    private List<String> dueAggregates(String readModel) {
        return jdbc.queryForList("""
                SELECT aggregate_id FROM (
                    SELECT DISTINCT ON (aggregate_id) aggregate_id, next_attempt_at FROM projection.parked_event
                    WHERE read_model = ? ORDER BY aggregate_id, sequence) AS head
                WHERE next_attempt_at <= now() LIMIT ?""", String.class, readModel, AGGREGATES_PER_TRANSACTION);
    }

    private void drain(Projector projector, List<String> aggregateIds, TransactionStatus transaction) {
        if (aggregateIds.isEmpty()) {
            return;
        }
        applier.assumeRole(projector); // as BatchApplier does: the read model's rows and bookkeeping, as its role
        String readModel = projector.readModel();
        books.lock(readModel, aggregateIds);
        Map<String, Long> positions = books.positions(readModel, aggregateIds);
        List<Long> done = new ArrayList<>();
        Map<String, Long> advanced = new HashMap<>();
        parkedEventsOf(readModel, aggregateIds).forEach((aggregateId, parked) -> {
            long expected = positions.getOrDefault(aggregateId, -1L) + 1;
            Drained drained = drainOne(projector, parked, expected, transaction);
            done.addAll(drained.done());
            if (drained.lastApplied() != null) {
                advanced.put(aggregateId, drained.lastApplied());
            }
        });
        if (!done.isEmpty()) {
            jdbc.update("DELETE FROM projection.parked_event WHERE id = ANY (?)",
                    ps -> ps.setArray(1, ps.getConnection().createArrayOf("bigint", done.toArray())));
        }
        books.savePositions(readModel, advanced);
        books.wakeWaitingForUnlessHeld(readModel, advanced.keySet());
    }

    /** One aggregate's parked events in order, under one savepoint, until one still can't be applied. */
    private Drained drainOne(Projector projector, List<Parked> parked, long expected, TransactionStatus transaction) {
        Object savepoint = transaction.createSavepoint();
        try {
            Drained drained = drainInOrder(projector, parked, expected, envelope -> applier.decide(projector, envelope));
            statements.flush(); // a failing write fails here, attributed to this aggregate
            transaction.releaseSavepoint(savepoint);
            return drained;
        } catch (DataAccessException | EventError e) {
            transaction.rollbackToSavepoint(savepoint);
            statements.discard();
            return drainOneByOne(projector, parked, expected, transaction);
        }
    }

    /**
     * After a failed write in {@link #drainOne}: the same events again, each written under a savepoint of its
     * own, so the one that fails is known. It counts as an attempt like an event that still waits: postponed,
     * and dead-lettered after max-attempts, so a write that can never succeed does not hold its aggregate for
     * ever. The events before it are applied.
     */
    private Drained drainOneByOne(Projector projector, List<Parked> parked, long expected, TransactionStatus transaction) {
        return drainInOrder(projector, parked, expected, envelope -> applier.isolated(projector, envelope, transaction));
    }

    private Drained drainInOrder(Projector projector, List<Parked> parked, long expected,
                                 Function<Envelope, Outcome> apply) {
        List<Long> done = new ArrayList<>();
        Long lastApplied = null;
        for (Parked event : parked) {
            if (event.sequence() < expected) {
                done.add(event.id()); // applied meanwhile by a redelivery
                continue;
            }
            if (event.sequence() > expected) {
                awaitMissing(projector, event, expected);
                break;
            }
            Envelope envelope = envelopeOf(event);
            Outcome outcome = apply.apply(envelope);
            if (outcome instanceof Outcome.DeadLetter dead) {
                applier.deadLetter(projector.readModel(), envelope, dead.reason());
            } else if (outcome instanceof Outcome.WaitFor wait && !giveUp(projector, event, envelope, wait)) {
                break;
            }
            done.add(event.id());
            lastApplied = event.sequence();
            expected = event.sequence() + 1;
        }
        return new Drained(done, lastApplied);
    }

    /**
     * The head follows a missing sequence: it waits for it, retried with back-off, never dead-lettered in its place
     * (the hole is reported by {@link Backlog}); when the missing event arrives it is parked ahead of this one, due.
     */
    private void awaitMissing(Projector projector, Parked head, long missing) {
        if (head.attempts() + 1 == maxAttempts) {
            log.warn("{}: {} sequence {} is still missing after {} attempts; sequence {} and later keep waiting for it",
                    projector.readModel(), head.aggregateId(), missing, maxAttempts, head.sequence());
        }
        postpone(head, BatchApplier.gap(missing), null);
    }

    /** @return true when the event was dead-lettered (its aggregate moves on), false when postponed */
    private boolean giveUp(Projector projector, Parked event, Envelope envelope, Outcome.WaitFor wait) {
        String reason = wait.reason();
        if (event.attempts() + 1 < maxAttempts) {
            postpone(event, reason, wait.parentId());
            return false;
        }
        applier.deadLetter(projector.readModel(), envelope, "gave up after " + maxAttempts + " attempts: " + reason);
        return true;
    }

    private Envelope envelopeOf(Parked event) {
        return decoder.decodeOrMark(new ConsumerRecord<>(event.topic(), event.partition(), event.offset(),
                event.aggregateId(), event.cloudEvent()));
    }

    /**
     * These aggregates' parked events, locked all at once and in (aggregate, sequence) order before any is
     * postponed or deleted: a listener waking them locks in the same order ({@link Bookkeeping#wakeWaitingFor}),
     * so it waits for this transaction instead of each holding a row the other needs.
     */
    private Map<String, List<Parked>> parkedEventsOf(String readModel, List<String> aggregateIds) {
        Map<String, List<Parked>> byAggregate = new LinkedHashMap<>();
        jdbc.query("""
                SELECT id, aggregate_id, sequence, cloud_event, source_topic, source_partition, source_offset, attempts
                FROM projection.parked_event WHERE read_model = ? AND aggregate_id = ANY (?)
                ORDER BY aggregate_id, sequence FOR UPDATE""",
                ps -> {
                    ps.setString(1, readModel);
                    ps.setArray(2, ps.getConnection().createArrayOf("varchar", aggregateIds.toArray()));
                },
                row -> {
                    Parked parked = new Parked(row.getLong(1), row.getString(2), row.getLong(3), row.getBytes(4),
                            row.getString(5), row.getInt(6), row.getLong(7), row.getInt(8));
                    byAggregate.computeIfAbsent(parked.aggregateId(), id -> new ArrayList<>()).add(parked);
                });
        return byAggregate;
    }

    /**
     * @param waitingFor the parent the event now waits for, when it names one: an event may wait for its user
     *                   first and, once the user arrives, for another parent, whose arrival must wake it
     */
    private void postpone(Parked head, String reason, String waitingFor) {
        long backoff = Math.min(1L << Math.min(head.attempts(), 20), maxBackoffSeconds);
        jdbc.update("""
                UPDATE projection.parked_event SET attempts = attempts + 1, reason = ?,
                    waiting_for = COALESCE(?, waiting_for), next_attempt_at = now() + make_interval(secs => ?)
                WHERE id = ?""", reason, waitingFor, backoff, head.id());
    }
}
