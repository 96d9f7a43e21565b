package dev.transcript.command.eventstore;

import dev.transcript.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the PostgreSQL driver really throws when a batch insert, as Axon's JDBC event store appends, hits the
 * (aggregate, sequence) unique key: recognised as a duplicate (Axon's ConcurrencyException, a 409), while
 * other failures of the same insert stay errors.
 */
class DuplicateSequencesIT {

    static TestDatabase database;

    @BeforeAll
    static void table() throws SQLException {
        database = TestDatabase.create("duplicate_sequences");
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE event (aggregate_identifier VARCHAR(255) NOT NULL, sequence_number BIGINT NOT NULL,
                        CONSTRAINT uq_event UNIQUE (aggregate_identifier, sequence_number))""");
            statement.execute("INSERT INTO event VALUES ('session', 7)");
        }
    }

    @AfterAll
    static void drop() {
        database.drop();
    }

    @Test
    void an_append_at_a_sequence_already_stored_is_a_duplicate_key_violation() throws SQLException {
        SQLException failure = appendBatch("session", 7L);

        assertThat(new DuplicateSequences().isDuplicateKeyViolation(wrappedAsAxonDoes(failure))).isTrue();
    }

    @Test
    void an_append_failing_for_another_reason_is_not_a_duplicate() throws SQLException {
        SQLException failure = appendBatch(null, 8L);

        assertThat(failure.getSQLState()).as("not-null violation").isEqualTo("23502");
        assertThat(new DuplicateSequences().isDuplicateKeyViolation(wrappedAsAxonDoes(failure))).isFalse();
    }

    /** Axon's JDBC engine hands the resolver the failure wrapped in its own runtime exception. */
    private static Exception wrappedAsAxonDoes(SQLException failure) {
        return new org.axonframework.common.jdbc.JdbcException("Failed to execute batch", failure);
    }

    private static SQLException appendBatch(String aggregate, long sequence) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO event VALUES (?, ?)")) {
            insert.setString(1, "other");
            insert.setLong(2, 1);
            insert.addBatch();
            insert.setString(1, aggregate);
            insert.setLong(2, sequence);
            insert.addBatch();
            return catchThrowableOfType(SQLException.class, insert::executeBatch);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }
}
