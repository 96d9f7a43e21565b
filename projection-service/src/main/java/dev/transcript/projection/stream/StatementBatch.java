package dev.transcript.projection.stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a transaction's writes and sends runs of the same statement together: as one JDBC batch, or,
 * for a {@link Bulk} writer, as a few set-based statements over arrays. Order is kept: a write different
 * from the previous one flushes the run before it, and the rest is flushed before any read ({@link #flush()})
 * and before commit. A poll of message events, the bulk of any stream, becomes a handful of statements
 * instead of hundreds of round trips.
 */
@Component
public class StatementBatch {

    private final JdbcTemplate jdbc;

    StatementBatch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes a run of rows at once; the rows of one run must not depend on each other's order. */
    public interface Bulk {
        void write(List<Object[]> rows);

        /** One column of a run's rows as an SQL array of {@code type}, for a set-based statement over {@code unnest}. */
        static java.sql.Array column(java.sql.Connection connection, String type, List<Object[]> rows, int column)
                throws java.sql.SQLException {
            Object[] values = new Object[rows.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rows.get(i)[column];
            }
            return connection.createArrayOf(type, values);
        }
    }

    private static final class Run {
        Object key; // the SQL text, or the Bulk writer
        final List<Object[]> rows = new ArrayList<>();
    }

    public void add(String sql, Object... args) {
        append(sql, args);
    }

    public void add(Bulk bulk, Object... row) {
        append(bulk, row);
    }

    private void append(Object key, Object[] row) {
        Run run = currentRun();
        if (!key.equals(run.key)) {
            flush(run);
            run.key = key;
        }
        run.rows.add(row);
    }

    /** Sends what is pending; call before reading what the pending writes may change. */
    public void flush() {
        if (TransactionSynchronizationManager.hasResource(this)) {
            flush((Run) TransactionSynchronizationManager.getResource(this));
        }
    }

    /**
     * Drops what is pending: after rolling back a savepoint taken when nothing was pending, so that an event that
     * failed half-way through its projector (an {@link Error}) leaves none of its rows to be sent with the next.
     */
    void discard() {
        if (TransactionSynchronizationManager.hasResource(this)) {
            ((Run) TransactionSynchronizationManager.getResource(this)).rows.clear();
        }
    }

    private void flush(Run run) {
        if (run.rows.isEmpty()) {
            return;
        }
        // Taken off the queue whether or not they are written: rows that failed are undone with their savepoint
        // (their event is parked), and must not fail again at the next flush, blamed on another event.
        List<Object[]> rows = new ArrayList<>(run.rows);
        run.rows.clear();
        try {
            if (run.key instanceof Bulk bulk) {
                bulk.write(rows);
            } else if (rows.size() == 1) {
                jdbc.update((String) run.key, rows.getFirst());
            } else {
                jdbc.batchUpdate((String) run.key, rows);
            }
        } catch (Error error) {
            throw EventError.isolate(error); // a Bulk writer turns values to JSON here: an overflow is its events'
        }
    }

    private Run currentRun() {
        Run run = (Run) TransactionSynchronizationManager.getResource(this);
        if (run != null) {
            return run;
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("read-model writes happen inside the batch's transaction");
        }
        Run fresh = new Run();
        TransactionSynchronizationManager.bindResource(this, fresh);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                StatementBatch.this.flush(fresh);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(StatementBatch.this);
            }
        });
        return fresh;
    }
}
