package dev.transcript.testing;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestDatabaseTest {

    @Test
    void creates_a_working_database_that_is_gone_after_drop() throws SQLException {
        TestDatabase database = TestDatabase.create("roundtrip");
        try {
            assertThat(roundTrip(database)).isEqualTo("hello");
            assertThat(exists(database.name())).isTrue();
        } finally {
            database.drop();
        }
        assertThat(exists(database.name())).isFalse();
    }

    @Test
    void drop_can_be_called_again() {
        TestDatabase database = TestDatabase.create("twice");
        database.drop();
        database.drop();
    }

    @Test
    void drop_disconnects_sessions_still_open_on_the_database() throws SQLException {
        TestDatabase database = TestDatabase.create("busy");
        try (Connection ignored = connect(database)) {
            database.drop();
        }
        assertThat(exists(database.name())).isFalse();
    }

    @Test
    void databases_created_concurrently_get_distinct_names_and_both_work() throws Exception {
        int threads = 2;
        CyclicBarrier together = new CyclicBarrier(threads);
        List<TestDatabase> databases;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<TestDatabase>> created = pool.invokeAll(List.of(
                    () -> { together.await(); return TestDatabase.create("parallel"); },
                    () -> { together.await(); return TestDatabase.create("parallel"); }));
            databases = List.of(created.get(0).get(), created.get(1).get());
        }
        try {
            assertThat(databases.get(0).name()).isNotEqualTo(databases.get(1).name());
            for (TestDatabase database : databases) {
                assertThat(roundTrip(database)).isEqualTo("hello");
            }
        } finally {
            databases.forEach(TestDatabase::drop);
        }
    }

    @Test
    void name_is_the_lower_cased_prefix_and_eight_hex_digits() {
        TestDatabase database = TestDatabase.create("Command_Service");
        try {
            assertThat(database.name()).matches("command_service_[0-9a-f]{8}");
            assertThat(database.jdbcUrl()).endsWith("/" + database.name());
        } finally {
            database.drop();
        }
    }

    @Test
    void rejects_a_prefix_that_would_need_quoting() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestDatabase.create("drop table; --"));
        assertThatIllegalArgumentException().isThrownBy(() -> TestDatabase.create("1st"));
        assertThatIllegalArgumentException().isThrownBy(() -> TestDatabase.create("x".repeat(55)));
    }

    @Test
    void spring_properties_name_the_database_and_its_credentials() {
        TestDatabase database = TestDatabase.create("spring");
        try {
            assertThat(database.springProperties()).containsExactly(
                    Map.entry("spring.datasource.url", database.jdbcUrl()),
                    Map.entry("spring.datasource.username", database.user()),
                    Map.entry("spring.datasource.password", database.password()));
        } finally {
            database.drop();
        }
    }

    private static String roundTrip(TestDatabase database) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (text varchar NOT NULL)");
            statement.execute("INSERT INTO greeting VALUES ('hello')");
            try (ResultSet rows = statement.executeQuery("SELECT text FROM greeting")) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    /** Through the public accessors only, as a test in another module would connect. */
    private static Connection connect(TestDatabase database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private static boolean exists(String name) throws SQLException {
        try (Connection connection = TestPostgres.instance().connectToMaintenance();
             PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
