package dev.transcript.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Runs against the server {@link TestMariaDb} finds; skipped, with the reason, where none answers. */
class TestMariaDbTest {

    @Test
    void creates_a_working_database_that_is_gone_after_drop() throws SQLException {
        TestMariaDb database = TestMariaDb.create("roundtrip");
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
        TestMariaDb database = TestMariaDb.create("twice");
        database.drop();
        database.drop();
    }

    @Test
    void drop_ends_a_session_whose_open_transaction_holds_a_table_lock() throws SQLException {
        TestMariaDb database = TestMariaDb.create("busy");
        try (Connection holder = connect(database); Statement statement = holder.createStatement()) {
            statement.execute("CREATE TABLE t (id INTEGER)");
            holder.setAutoCommit(false);
            statement.execute("INSERT INTO t VALUES (1)"); // the open transaction keeps a metadata lock on t

            assertTimeoutPreemptively(Duration.ofSeconds(30), database::drop);
        }
        assertThat(exists(database.name())).isFalse();
    }

    @Test
    void databases_created_concurrently_get_distinct_names_and_both_work() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        List<TestMariaDb> databases;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<TestMariaDb>> created = pool.invokeAll(List.of(
                    () -> { together.await(); return TestMariaDb.create("parallel"); },
                    () -> { together.await(); return TestMariaDb.create("parallel"); }));
            databases = List.of(created.get(0).get(), created.get(1).get());
        }
        try {
            assertThat(databases.get(0).name()).isNotEqualTo(databases.get(1).name());
            for (TestMariaDb database : databases) {
                assertThat(roundTrip(database)).isEqualTo("hello");
            }
        } finally {
            databases.forEach(TestMariaDb::drop);
        }
    }

    @Test
    void name_is_the_lower_cased_prefix_and_eight_hex_digits() {
        TestMariaDb database = TestMariaDb.create("Chat_App");
        try {
            assertThat(database.name()).matches("chat_app_[0-9a-f]{8}");
            assertThat(database.jdbcUrl()).startsWith("jdbc:mariadb://").contains("/" + database.name());
        } finally {
            database.drop();
        }
    }

    @Test
    void rejects_a_prefix_that_would_need_quoting() {
        assertThatIllegalArgumentException().isThrownBy(() -> TestMariaDb.create("drop table; --"));
        assertThatIllegalArgumentException().isThrownBy(() -> TestMariaDb.create("1st"));
        assertThatIllegalArgumentException().isThrownBy(() -> TestMariaDb.create("x".repeat(55)));
    }

    @Test
    void text_is_unique_exactly_when_postgresql_would_call_it_equal() throws SQLException {
        TestMariaDb database = TestMariaDb.create("collation");
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            assertThat(database.collation()).isIn("utf8mb4_nopad_bin", "utf8mb4_0900_bin");
            statement.execute("CREATE TABLE t (v VARCHAR(20) NOT NULL, CONSTRAINT uq_t_v UNIQUE (v))");
            // Case, accents, trailing spaces and 4-byte characters all count, as they do in PostgreSQL.
            statement.execute("INSERT INTO t VALUES ('a'), ('A'), ('á'), ('a '), ('\uD83D\uDE00')");

            assertThatThrownBy(() -> statement.execute("INSERT INTO t VALUES ('a')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("Duplicate");
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t WHERE v = 'a'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        } finally {
            database.drop();
        }
    }

    @Test
    void a_server_that_does_not_answer_skips_the_test_naming_the_address_and_the_reason() throws IOException {
        MariaDbAddress nobody = MariaDbAddress.parse("jdbc:mariadb://127.0.0.1:" + closedPort() + "/", "test");
        TestMariaDb.Server server = TestMariaDb.Server.probe(nobody, false);

        assertThat(server.available()).isFalse();
        assertThatThrownBy(() -> TestMariaDb.create(server, "skipped"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("No MariaDB/MySQL answered at " + nobody.server() + "/ as root")
                .hasMessageContaining("TRANSCRIPT_TEST_MARIADB_URL");
    }

    @Test
    void when_required_a_server_that_does_not_answer_fails_the_test_instead() throws IOException {
        MariaDbAddress nobody = MariaDbAddress.parse("jdbc:mariadb://127.0.0.1:" + closedPort() + "/", "test");

        assertThatThrownBy(() -> TestMariaDb.create(TestMariaDb.Server.probe(nobody, true), "required"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No MariaDB/MySQL answered");
    }

    private static String roundTrip(TestMariaDb database) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (text VARCHAR(10) NOT NULL)");
            statement.execute("INSERT INTO greeting VALUES ('hello')");
            try (ResultSet rows = statement.executeQuery("SELECT text FROM greeting")) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    /** Through the public accessors only, as a test in another module would connect. */
    private static Connection connect(TestMariaDb database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    private static boolean exists(String name) throws SQLException {
        try (Connection connection = TestMariaDb.server().connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** A port that was free a moment ago and is closed now: nothing answers there. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
