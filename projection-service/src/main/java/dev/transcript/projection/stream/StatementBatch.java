package dev.transcript.projection.stream;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a transaction's writes and sends runs of the same statement as one JDBC batch. Order is kept
 * exactly: a statement different from the previous one flushes the run before it, and the rest is
 * flushed before any read ({@link #flush()}) and before commit. A poll of message events, the bulk of any
 * stream, becomes one batch instead of hundreds of round trips.
 */
@Component
public class StatementBatch {

    private final JdbcTemplate jdbc;

    StatementBatch(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    private static final class Run {
        String sql;
        final List<Object[]> rows = new ArrayList<>();
    }

    public void add(String sql, Object... args) {
        Run run = currentRun();
        if (!sql.equals(run.sql)) {
            flush(run);
            run.sql = sql;
        }
        run.rows.add(args);
    }

    /** Sends what is pending; call before reading what the pending writes may change. */
    public void flush() {
        if (TransactionSynchronizationManager.hasResource(this)) {
            flush((Run) TransactionSynchronizationManager.getResource(this));
        }
    }

    private void flush(Run run) {
        if (run.rows.isEmpty()) {
            return;
        }
        if (run.rows.size() == 1) {
            jdbc.update(run.sql, run.rows.getFirst());
        } else {
            jdbc.batchUpdate(run.sql, run.rows);
        }
        run.rows.clear();
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
