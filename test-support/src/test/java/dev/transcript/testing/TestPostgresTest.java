package dev.transcript.testing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class TestPostgresTest {

    /** Started once for the class: a real embedded PostgreSQL takes a few seconds. */
    private static TestPostgres fallback;

    @BeforeAll
    static void resolve_against_a_port_nobody_listens_on() throws IOException {
        fallback = TestPostgres.resolve("127.0.0.1", closedPort());
    }

    @Test
    void falls_back_to_embedded_postgres_when_no_server_answers() throws SQLException {
        assertThat(fallback.embedded()).isTrue();
        assertThat(fallback.user()).isEqualTo("postgres");
        assertThat(query(fallback, "SELECT version()")).contains("PostgreSQL 15");
    }

    @Test
    void keeps_the_embedded_data_directory_inside_the_repository() throws SQLException {
        Path repositoryData = EmbeddedServer.repositoryRoot(Path.of("")).resolve(EmbeddedServer.DIRECTORY);

        assertThat(Path.of(query(fallback, "SHOW data_directory"))).startsWith(repositoryData);
    }

    @Test
    void uses_a_server_that_answers_instead_of_starting_one() {
        TestPostgres running = TestPostgres.resolve(fallback.host(), fallback.port());

        assertThat(running.embedded()).isFalse();
        assertThat(running.port()).isEqualTo(fallback.port());
    }

    @Test
    void resolves_one_server_per_jvm_however_many_threads_ask() throws Exception {
        List<Callable<TestPostgres>> asks = Collections.nCopies(4, TestPostgres::instance);
        try (ExecutorService pool = Executors.newFixedThreadPool(asks.size())) {
            for (Future<TestPostgres> answer : pool.invokeAll(asks)) {
                assertThat(answer.get()).isSameAs(TestPostgres.instance());
            }
        }
    }

    private static String query(TestPostgres server, String sql) throws SQLException {
        try (Connection connection = server.connectToMaintenance();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    /** A port that was free a moment ago and is closed now: nothing answers there. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
