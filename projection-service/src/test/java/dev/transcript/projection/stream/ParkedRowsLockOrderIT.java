package dev.transcript.projection.stream;

import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.NoBroker;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

/**
 * A listener that applies a user wakes the user's parked sessions while the drainer may be postponing the very
 * same rows. Both must lock them in one order: each updating them in its own order (the listener in physical
 * order, the drainer in aggregate order) deadlocked in CI, and PostgreSQL aborted one of them.
 *
 * <p>The race is forced, not hoped for. Sessions X &lt; Y (in aggregate order) of a user P not applied yet are
 * parked Y first, so Y's row comes first physically. A connection of this test holds X's row; the drainer
 * queues for X first (it locks, or before the fix postpones, X before Y), then the listener applying P queues
 * for X too: before the fix it has already updated Y by then, fixed it holds nothing yet. When the test lets X
 * go, the drainer, first in the queue, takes X and goes on to Y: before the fix Y is the listener's, which
 * waits for X, the drainer's: a deadlock PostgreSQL breaks after its deadlock_timeout by aborting one of them
 * (the listener's poll throws, or the drainer's round is counted as failed). Fixed, the drainer has locked both
 * rows before the listener gets any, and the listener simply waits for it. The scheduled drainer and the
 * Kafka listeners are kept out: only the calls below touch the parked rows.
 */
@LocalInfrastructure
@TestPropertySource(properties = {NoBroker.NO_LISTENER, "transcript.projection.parked.drain-interval=1h"})
class ParkedRowsLockOrderIT {

    static final Duration FINISHES = Duration.ofSeconds(20);

    @Autowired
    RecordBatches batches;
    @Autowired
    GatewayProjector projector;
    @Autowired
    ParkedEventDrainer drainer;
    @Autowired
    JdbcTemplate jdbc;
    /** The context's pool: the connection holding X is one it already has open, so no new client is refused. */
    @Autowired
    DataSource database;
    @Autowired
    MeterRegistry meters;

    @Test
    void a_listener_waking_parked_rows_the_drainer_is_postponing_waits_for_it_instead_of_deadlocking()
            throws Exception {
        EventLog log = new EventLog();
        List<SessionStory> sessions = inAggregateOrder(new SessionStory());
        SessionStory x = sessions.get(0);
        SessionStory y = sessions.get(1);
        deliver(log.append(y.sessionStarted(log.now().plusSeconds(1))));
        deliver(log.append(x.sessionStarted(log.now().plusSeconds(1))));
        assertThat(parkedInPhysicalOrder()).containsExactly(y.sessionId.toString(), x.sessionId.toString());
        makeDue();
        Published userRegistered = log.append(x.userRegistered());
        double failuresBefore = drainFailures();

        race(x, userRegistered);

        assertThat(drainFailures()).as("transcript.projection.drain_failures{read_model=gateway}")
                .isEqualTo(failuresBefore);
        drainer.drainAll(); // the listener woke both sessions: they are due again
        GatewayTables tables = new GatewayTables(jdbc);
        for (SessionStory session : sessions) {
            assertThat(tables.row("sessions", session.sessionId)).containsEntry("user_id", session.userId);
            assertThat(parkedOf(session)).isZero();
        }
    }

    /** Drainer and listener queue for X's row, held by the test, in that order; then it is let go. */
    private void race(SessionStory x, Published userRegistered) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection external = database.getConnection()) {
            external.setAutoCommit(false);
            int externalPid = holdParkedRowOf(external, x);
            Future<?> drain = threads.submit(drainer::drainAll);
            awaitWaitingForLocks(1, externalPid, "the drainer waiting for X");
            Future<?> listen = threads.submit(() -> deliver(userRegistered));
            awaitWaitingForLocks(2, externalPid, "the listener waiting for X too");
            external.commit();
            assertThatCode(() -> drain.get(FINISHES.toSeconds(), TimeUnit.SECONDS)).as("the drainer")
                    .doesNotThrowAnyException();
            assertThatCode(() -> listen.get(FINISHES.toSeconds(), TimeUnit.SECONDS)).as("the listener")
                    .doesNotThrowAnyException();
        } finally {
            threads.shutdownNow();
        }
    }

    /** Two sessions of one user, sorted as PostgreSQL sorts their aggregate ids (its collation, not Java's). */
    private List<SessionStory> inAggregateOrder(SessionStory one) {
        SessionStory other = one.anotherSessionOfTheSameUser();
        String first = jdbc.queryForObject("""
                SELECT id FROM (VALUES (?::varchar), (?::varchar)) AS ids (id) ORDER BY id LIMIT 1""",
                String.class, one.sessionId.toString(), other.sessionId.toString());
        return one.sessionId.toString().equals(first) ? List.of(one, other) : List.of(other, one);
    }

    /** Through the listener's path: one poll, one transaction. */
    private void deliver(Published published) {
        batches.apply(projector, List.of(published.consumerRecord()));
    }

    private List<String> parkedInPhysicalOrder() {
        return jdbc.queryForList("""
                SELECT aggregate_id FROM projection.parked_event WHERE read_model = 'gateway' ORDER BY ctid""",
                String.class);
    }

    private void makeDue() {
        jdbc.update("""
                UPDATE projection.parked_event SET next_attempt_at = now() - interval '1 second'
                WHERE read_model = 'gateway'""");
    }

    /** @return the backend pid of the connection now holding the row */
    private static int holdParkedRowOf(Connection connection, SessionStory session) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("""
                SELECT pg_backend_pid() FROM projection.parked_event
                WHERE read_model = 'gateway' AND aggregate_id = ? FOR UPDATE""")) {
            lock.setString(1, session.sessionId.toString());
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).as("X's parked row").isTrue();
                return row.getInt(1);
            }
        }
    }

    private void awaitWaitingForLocks(int backends, int externalPid, String what) {
        await(what).atMost(FINISHES).until(() -> jdbc.queryForObject("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> ?""",
                Integer.class, externalPid) == backends);
    }

    private double drainFailures() {
        Counter counter = meters.find("transcript.projection.drain_failures")
                .tags("read_model", GatewayProjector.READ_MODEL).counter();
        return counter == null ? 0 : counter.count();
    }

    private int parkedOf(SessionStory session) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Integer.class, session.sessionId.toString());
    }
}
