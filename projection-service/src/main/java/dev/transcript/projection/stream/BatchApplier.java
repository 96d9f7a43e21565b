package dev.transcript.projection.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Applies one poll's events to one read model in one transaction: exactly-once effect on at-least-once
 * delivery, order per aggregate, and nothing dropped.
 *
 * <ul>
 *   <li>An event at or below its aggregate's last applied sequence is a redelivery: skipped.</li>
 *   <li>An event the projector can't apply yet (its parent row is in another partition), or that follows
 *       a gap or an event already parked, is parked in {@code projection.parked_event} and retried by
 *       {@link ParkedEventDrainer}; other aggregates go on.</li>
 *   <li>If the batch fails on a row, it runs again with a savepoint per event, and only the failing events
 *       are parked.</li>
 *   <li>An event that can never be applied (its data cannot be decoded, or its projector throws an
 *       {@link Error}) is dead-lettered in its turn, and its aggregate moves on past it.</li>
 *   <li>An event after a missing sequence waits for it, however long: reported (a WARN here, a gap in the
 *       status and metrics), never dead-lettered in the missing event's place.</li>
 * </ul>
 */
@Component
public class BatchApplier {

    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);

    /** A role name that needs no quoting: what {@link #assumeRole} accepts (the chat migration's rule too). */
    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final TransactionTemplate transactions;
    private final Bookkeeping books;
    private final StatementBatch statements;
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final DeadLetters deadLetters;

    BatchApplier(TransactionTemplate transactions, Bookkeeping books, StatementBatch statements, MeterRegistry meters,
                 JdbcTemplate jdbc, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.transactions = transactions;
        this.books = books;
        this.statements = statements;
        this.meters = meters;
        this.jdbc = jdbc;
    }

    public void apply(Projector projector, List<Envelope> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            transactions.executeWithoutResult(status -> applyAll(projector, batch, null));
        } catch (NonTransientDataAccessException | EventError e) {
            log.warn("{}: a batch of {} failed ({}); applying it event by event", projector.readModel(),
                    batch.size(), e instanceof DataAccessException data ? data.getMostSpecificCause().getMessage()
                            : e.getMessage());
            transactions.executeWithoutResult(status -> applyAll(projector, batch, status));
        }
    }

    /** @param isolating when set, each event runs under a savepoint of this transaction */
    private void applyAll(Projector projector, List<Envelope> batch, TransactionStatus isolating) {
        assumeRole(projector);
        String readModel = projector.readModel();
        Set<String> aggregateIds = new LinkedHashSet<>();
        batch.forEach(envelope -> aggregateIds.add(envelope.aggregateId()));
        books.lock(readModel, aggregateIds);
        Map<String, Long> positions = books.positions(readModel, aggregateIds);
        Set<String> parked = books.aggregatesWithParkedEvents(readModel, aggregateIds);
        Map<String, Long> advanced = new HashMap<>();

        for (Envelope envelope : batch) {
            String aggregateId = envelope.aggregateId();
            long expected = positions.getOrDefault(aggregateId, -1L) + 1;
            if (envelope.sequence() < expected) {
                count("duplicates", readModel);
            } else if (parked.contains(aggregateId)) {
                park(readModel, envelope, null, "behind an earlier parked event of " + aggregateId);
            } else if (envelope.sequence() > expected) {
                log.warn("{}: {} sequence {} is missing; {} and the events after it wait for it", readModel,
                        aggregateId, expected, envelope.sequence());
                park(readModel, envelope, null, gap(expected));
                parked.add(aggregateId);
            } else {
                Outcome outcome = isolating == null ? decide(projector, envelope) : isolated(projector, envelope, isolating);
                if (outcome instanceof Outcome.WaitFor wait) {
                    park(readModel, envelope, wait.parentId(), wait.reason());
                    parked.add(aggregateId);
                } else {
                    if (outcome instanceof Outcome.DeadLetter dead) {
                        deadLetter(readModel, envelope, dead.reason());
                    }
                    positions.put(aggregateId, envelope.sequence());
                    advanced.put(aggregateId, envelope.sequence());
                }
            }
        }
        statements.flush();
        books.savePositions(readModel, advanced);
        books.wakeWaitingFor(readModel, advanced.keySet());
        books.saveProgress(readModel, progressOf(batch));
    }

    /**
     * Switches the current transaction to the projector's {@link Projector#role() role}, if it has one, until the
     * transaction ends ({@code SET LOCAL}): call first thing in every transaction that applies its events, so
     * that its rows and its bookkeeping are written as that role. Savepoints rolled back later keep it.
     */
    void assumeRole(Projector projector) {
        projector.role().ifPresent(role -> {
            if (!ROLE.matcher(role).matches()) {
                throw new IllegalStateException(projector.readModel() + ": role " + role
                        + " must be lower-case letters, digits and underscores");
            }
            jdbc.execute("SET LOCAL ROLE " + role);
        });
    }

    /** Why an event after a missing sequence is parked. */
    static String gap(long missing) {
        return "gap: expected sequence " + missing;
    }

    /**
     * The projector's decision for an event that is next in its aggregate; unknown types are skipped, poison is
     * to be dead-lettered.
     *
     * @throws EventError when the projector threw an {@link Error}: the caller undoes what the event wrote (a
     *                    savepoint) and dead-letters it
     */
    Outcome decide(Projector projector, Envelope envelope) {
        if (envelope.poisoned()) {
            return new Outcome.DeadLetter(envelope.poison());
        }
        if (!envelope.known()) {
            meters.counter("transcript.projection.skipped", "read_model", projector.readModel(),
                    "type", envelope.type()).increment();
            return Outcome.APPLIED;
        }
        Outcome outcome;
        try {
            outcome = projector.apply(envelope);
        } catch (Error error) {
            throw EventError.isolate(error);
        }
        if (outcome instanceof Outcome.Applied) {
            count("applied", projector.readModel());
        }
        return outcome;
    }

    /** Runs one event under a savepoint: a failing event is parked instead of failing the batch. */
    Outcome isolated(Projector projector, Envelope envelope, TransactionStatus transaction) {
        Object savepoint = transaction.createSavepoint();
        try {
            Outcome outcome = decide(projector, envelope);
            statements.flush(); // so that a failing write fails here, attributed to this event
            transaction.releaseSavepoint(savepoint);
            return outcome;
        } catch (DataAccessException e) {
            transaction.rollbackToSavepoint(savepoint);
            return new Outcome.WaitFor(null, "failed: " + e.getMostSpecificCause().getMessage());
        } catch (EventError e) {
            transaction.rollbackToSavepoint(savepoint);
            statements.discard();
            return new Outcome.DeadLetter(e.reason());
        }
    }

    /** Sends the event to the dead-letter topic and records it; the caller moves its aggregate past it. */
    void deadLetter(String readModel, Envelope envelope, String reason) {
        log.warn("{}: dead-lettering {} sequence {} ({}): {}", readModel, envelope.aggregateId(), envelope.sequence(),
                envelope.origin(), reason);
        deadLetters.send(readModel, envelope, reason);
    }

    private void park(String readModel, Envelope envelope, String waitingFor, String reason) {
        books.park(readModel, envelope, waitingFor, reason);
        count("parked", readModel);
    }

    private static Collection<Bookkeeping.Progress> progressOf(List<Envelope> batch) {
        Map<String, Bookkeeping.Progress> last = new LinkedHashMap<>();
        for (Envelope envelope : batch) {
            Origin origin = envelope.origin();
            last.merge(origin.topic() + "/" + origin.partition(),
                    new Bookkeeping.Progress(origin.topic(), origin.partition(), origin.offset() + 1, envelope.time()),
                    (a, b) -> b.nextOffset() > a.nextOffset() ? b : a);
        }
        return last.values();
    }

    private void count(String what, String readModel) {
        meters.counter("transcript.projection." + what, "read_model", readModel).increment();
    }
}
