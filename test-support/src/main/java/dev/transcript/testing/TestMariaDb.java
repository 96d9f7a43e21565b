package dev.transcript.testing;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A fresh, empty database on a MariaDB or MySQL server, the counterpart of {@link TestDatabase} for read models
 * that must also run there. The server is {@code TRANSCRIPT_TEST_MARIADB_URL} (a {@code jdbc:mariadb://} URL;
 * {@code user} and {@code password} may be among its parameters), else {@value MariaDbAddress#DEFAULT_URL} as
 * root without a password; it is probed once per JVM.
 *
 * <p>Where no server answers, {@link #create} <b>skips</b> the calling test through JUnit's {@link Assumptions},
 * saying which address was tried and why it failed; there is no embedded fallback. Set
 * {@code TRANSCRIPT_TEST_MARIADB_REQUIRED=true} (CI does, where it has MariaDB) to fail instead of skipping.
 *
 * <p>Each database is created {@code CHARACTER SET utf8mb4} with a binary, no-pad collation
 * ({@code utf8mb4_nopad_bin} on MariaDB, {@code utf8mb4_0900_bin} on MySQL 8): text is then equal exactly when
 * it is equal on PostgreSQL (case, accents and trailing spaces count), so a unique index accepts the same rows
 * on both engines. The server's default ({@code utf8mb4_general_ci}) would not.
 *
 * <pre>
 * TestMariaDb db = TestMariaDb.create("chat_app");   // skips the test when no MariaDB answers
 * try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) { ... }
 * finally { db.drop(); }
 * </pre>
 */
public final class TestMariaDb {

    private static final Logger log = LoggerFactory.getLogger(TestMariaDb.class);

    static final String REQUIRED_VARIABLE = "TRANSCRIPT_TEST_MARIADB_REQUIRED";

    /** Same rule as {@link TestDatabase}; 63 characters in all stay within MariaDB's and MySQL's 64. */
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,53}");

    /** Binary no-pad collations, best first; {@code utf8mb4_bin} (pads) only where neither exists (MySQL 5.7). */
    private static final List<String> COLLATIONS = List.of("utf8mb4_nopad_bin", "utf8mb4_0900_bin");
    private static final String FALLBACK_COLLATION = "utf8mb4_bin";

    private final Server server;
    private final String name;
    private final Thread dropAtExit;
    private boolean dropped;

    private TestMariaDb(Server server, String name) {
        this.server = server;
        this.name = name;
        this.dropAtExit = new Thread(this::dropAtExit, "drop-" + name);
    }

    /**
     * Creates {@code <prefix>_<8 random hex digits>}, or skips the calling test when no server answers.
     *
     * @param prefix a lower-case SQL identifier, e.g. the module or test name; upper case is lowered
     */
    public static TestMariaDb create(String prefix) {
        return create(server(), prefix);
    }

    /** The server for this JVM, probed on the first call; {@link Server#available()} says whether one answered. */
    public static Server server() {
        return Resolved.INSTANCE;
    }

    // Lazy and thread-safe, as in TestPostgres: the holder's class initialiser runs once, under the JVM's lock.
    private static final class Resolved {
        static final Server INSTANCE = Server.probe(MariaDbAddress.fromEnvironment(),
                Boolean.parseBoolean(System.getProperty(REQUIRED_VARIABLE, System.getenv(REQUIRED_VARIABLE))));
    }

    static TestMariaDb create(Server server, String prefix) {
        String lowered = prefix.toLowerCase(Locale.ROOT);
        if (!PREFIX.matcher(lowered).matches()) {
            throw new IllegalArgumentException("database prefix must match " + PREFIX + ": " + prefix);
        }
        server.assumeAvailable();
        TestMariaDb database = new TestMariaDb(server,
                lowered + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        database.execute("CREATE DATABASE " + database.name
                + " CHARACTER SET utf8mb4 COLLATE " + server.collation());
        Runtime.getRuntime().addShutdownHook(database.dropAtExit);
        return database;
    }

    public String name() {
        return name;
    }

    /** The server's URL (with any parameters it was given) naming this database. */
    public String jdbcUrl() {
        return server.address().jdbcUrl(name);
    }

    public String user() {
        return server.address().user();
    }

    /** Empty for the local root login without a password. */
    public String password() {
        return server.address().password();
    }

    /** The collation the database was created with, e.g. {@code utf8mb4_nopad_bin}. */
    public String collation() {
        return server.collation();
    }

    /** Drops the database now, first ending other sessions that use it. Calling it again does nothing. */
    public synchronized void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            // A session with an open transaction on a table holds a metadata lock that DROP DATABASE would wait
            // for (lock_wait_timeout: a year by default). End such sessions, as PostgreSQL's WITH (FORCE) does.
            for (long id : sessionsUsing(connection)) {
                try {
                    statement.execute("KILL CONNECTION " + id);
                } catch (SQLException gone) {
                    // It ended by itself in the meantime.
                }
            }
            statement.execute("DROP DATABASE IF EXISTS " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("DROP DATABASE " + name + " failed on " + server + ": " + e.getMessage(), e);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or while the JVM exits: nothing left to unregister.
        }
    }

    private List<Long> sessionsUsing(Connection connection) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private void dropAtExit() {
        try {
            drop();
        } catch (RuntimeException e) {
            log.warn("could not drop test database {} on {}: {}", name, server, e.getMessage());
        }
    }

    private void execute(String sql) {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TestMariaDb[" + name + " on " + server + "]";
    }

    /** A MariaDB/MySQL server as probed once: either it answered (with its version), or why not. */
    public static final class Server {

        /** Milliseconds. Long enough for a busy local server, short enough that an address nobody serves costs little. */
        private static final int PROBE_TIMEOUT_MILLIS = 2_000;
        /** Milliseconds. Once the server is known to answer, give a loaded machine more slack. */
        private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

        private final MariaDbAddress address;
        private final boolean required;
        private final String version;
        private final String collation;
        private final String unavailable;

        private Server(MariaDbAddress address, boolean required, String version, String collation, String unavailable) {
            this.address = address;
            this.required = required;
            this.version = version;
            this.collation = collation;
            this.unavailable = unavailable;
        }

        /**
         * Connects once; never throws for a server that does not answer, since that decides skip or fail later.
         *
         * @param required whether a test asking for a database should fail rather than skip when none answered
         */
        static Server probe(MariaDbAddress address, boolean required) {
            try (Connection connection = connect(address, PROBE_TIMEOUT_MILLIS);
                 Statement statement = connection.createStatement()) {
                String version = single(statement, "SELECT VERSION()");
                String collation = collation(statement);
                log.info("Tests use MariaDB/MySQL {} at {}: {} answered; test databases are utf8mb4 {}", version,
                        address.describe(), address.source(), collation);
                return new Server(address, required, version, collation, null);
            } catch (SQLException unanswered) {
                String reason = "No MariaDB/MySQL answered at " + address.describe() + " (" + address.source() + "): "
                        + unanswered.getMessage() + ". Start one there or set " + MariaDbAddress.URL_VARIABLE
                        + " to a jdbc:mariadb:// URL; " + REQUIRED_VARIABLE + "=true fails such tests instead of"
                        + " skipping them.";
                log.info(reason);
                return new Server(address, required, null, null, reason);
            }
        }

        public boolean available() {
            return unavailable == null;
        }

        /** Why no server is available, with the address tried; empty when one answered. */
        public String unavailableReason() {
            return unavailable == null ? "" : unavailable;
        }

        /** The server's {@code VERSION()}, e.g. {@code 10.11.19-MariaDB-0+deb12u1}. */
        public String version() {
            assumeAvailable();
            return version;
        }

        /** Skips the calling test (or fails it when required) unless the server answered. */
        void assumeAvailable() {
            if (available()) {
                return;
            }
            if (required) {
                throw new IllegalStateException(unavailable);
            }
            Assumptions.assumeTrue(false, unavailable);
        }

        MariaDbAddress address() {
            return address;
        }

        String collation() {
            return collation;
        }

        /** A connection with no database selected, for CREATE and DROP DATABASE. */
        Connection connect() throws SQLException {
            return connect(address, CONNECT_TIMEOUT_MILLIS);
        }

        private static Connection connect(MariaDbAddress address, int timeoutMillis) throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", address.user());
            if (!address.password().isEmpty()) {
                properties.setProperty("password", address.password());
            }
            properties.setProperty("connectTimeout", String.valueOf(timeoutMillis));
            return DriverManager.getConnection(address.jdbcUrl(address.database()), properties);
        }

        private static String collation(Statement statement) throws SQLException {
            List<String> present = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT COLLATION_NAME FROM information_schema.COLLATIONS"
                    + " WHERE COLLATION_NAME IN ('" + String.join("', '", COLLATIONS) + "')")) {
                while (rows.next()) {
                    present.add(rows.getString(1));
                }
            }
            return COLLATIONS.stream().filter(present::contains).findFirst().orElse(FALLBACK_COLLATION);
        }

        private static String single(Statement statement, String sql) throws SQLException {
            try (ResultSet rows = statement.executeQuery(sql)) {
                rows.next();
                return rows.getString(1);
            }
        }

        @Override
        public String toString() {
            return "TestMariaDb.Server[" + address.describe() + (available() ? ", " + version : ", unavailable") + "]";
        }
    }
}
