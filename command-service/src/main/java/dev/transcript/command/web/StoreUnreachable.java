package dev.transcript.command.web;

import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;

/**
 * Whether a failure means the database could not be reached or could not commit: the command was rolled
 * back, nothing was stored, and the same request may simply be retried.
 */
final class StoreUnreachable {

    private static final List<Class<? extends Throwable>> TYPES = List.of(
            EventStoreException.class, DataAccessResourceFailureException.class,
            TransientDataAccessResourceException.class, RecoverableDataAccessException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class,
            SQLTransientConnectionException.class, SQLNonTransientConnectionException.class,
            SQLRecoverableException.class);

    private StoreUnreachable() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            Throwable current = cause;
            if (TYPES.stream().anyMatch(type -> type.isInstance(current)) || connectionLost(current)) {
                return true;
            }
        }
        return false;
    }

    /** SQLSTATE class 08 is a connection exception; 57P01-57P03: the server is shutting down or starting. */
    private static boolean connectionLost(Throwable failure) {
        return failure instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"));
    }
}
