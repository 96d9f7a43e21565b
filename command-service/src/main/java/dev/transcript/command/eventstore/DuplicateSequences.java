package dev.transcript.command.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;

import java.sql.SQLException;

/**
 * Tells Axon's JDBC event store that an append collided with an event already stored at the same
 * (aggregate, sequence): PostgreSQL's unique_violation, SQLState 23505. Axon then throws its
 * {@code ConcurrencyException} (retried once, then answered 409) instead of an {@code EventStoreException}
 * (a 500). Axon's default for JDBC, {@code JdbcSQLErrorCodesResolver}, looks only for
 * {@code SQLIntegrityConstraintViolationException}, which the PostgreSQL driver never throws.
 */
final class DuplicateSequences implements PersistenceExceptionResolver {

    static final String UNIQUE_VIOLATION = "23505";

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        return isUniqueViolation(exception);
    }

    /** Walks causes and, for a batch insert, the driver's chain of next exceptions. */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
