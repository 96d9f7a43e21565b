package dev.transcript.command.eventstore;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

/**
 * Closes the late-commit hazard of sequence-numbered event tables (AxonIQ/AxonFramework#4829).
 *
 * <p>An event gets its global index when it is inserted but becomes visible when its transaction commits.
 * A reader that sees index n+1 before n waits for n as a "gap" for {@code gapTimeout}, then passes it over
 * for ever. So no transaction that appends events may commit later than that: every appending transaction
 * carries Spring's transaction deadline ({@code spring.transaction.default-timeout}), and this check,
 * registered by the first append of a transaction, refuses the commit once the deadline has passed. With
 * the gap timeout at least four times the deadline (checked at start-up), an index is always either
 * committed or rolled back long before any reader gives up waiting for it.
 */
final class AppendDeadline {

    private final DataSource dataSource;

    AppendDeadline(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Called as the events of a transaction are inserted; the check runs just before its commit. */
    void guardCurrentTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("events must be appended inside a Spring-managed transaction");
        }
        if (TransactionSynchronizationManager.hasResource(this)) {
            return; // already guarded: one check per transaction
        }
        TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                ConnectionHolder holder = (ConnectionHolder) TransactionSynchronizationManager.getResource(dataSource);
                if (holder != null && holder.hasTimeout()) {
                    try {
                        holder.getTimeToLiveInMillis(); // throws past the deadline
                    } catch (TransactionTimedOutException e) {
                        // Not rethrown as a TransactionException: Spring treats those in beforeCommit as
                        // commit failures and does not roll back; any other exception makes it roll back.
                        throw new AppendDeadlineExceeded(e);
                    }
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(AppendDeadline.this);
            }
        });
    }
}
