package dev.transcript.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL server tests use: the configured or local server if it answers, otherwise an embedded
 * PostgreSQL 15, so tests run the same on a laptop with PostgreSQL installed, in CI, and on a bare machine.
 * The choice is made once per JVM, on first use.
 */
public final class TestPostgres {

    private static final Logger log = LoggerFactory.getLogger(TestPostgres.class);

    /** Seconds. Long enough for a busy local server, short enough that an address nobody serves costs little. */
    private static final int PROBE_TIMEOUT_SECONDS = 2;
    /** Seconds. Once the server is known to answer, give a loaded machine more slack. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final ServerAddress address;
    private final boolean embedded;

    private TestPostgres(ServerAddress address, boolean embedded) {
        this.address = address;
        this.embedded = embedded;
    }

    /** The server for this JVM, resolved on the first call. */
    public static TestPostgres instance() {
        return Resolved.INSTANCE;
    }

    // The class initialiser of a holder runs once, on first access, under the JVM's own lock: lazy and thread-safe.
    private static final class Resolved {
        static final TestPostgres INSTANCE = resolve(ServerAddress.fromEnvironment());
    }

    /** Resolves against a given address with the default credentials; lets a test force a closed port. */
    static TestPostgres resolve(String host, int port) {
        return resolve(ServerAddress.at(host, port, "the address given by the caller"));
    }

    static TestPostgres resolve(ServerAddress address) {
        try (Connection ignored = connect(address, address.database(), PROBE_TIMEOUT_SECONDS)) {
            log.info("Tests use PostgreSQL at {}: {} answered", address.describe(), address.source());
            return new TestPostgres(address, false);
        } catch (SQLException unanswered) {
            ServerAddress embedded;
            try {
                embedded = EmbeddedServer.start();
            } catch (RuntimeException e) {
                e.addSuppressed(unanswered); // why the embedded server was needed at all
                throw e;
            }
            log.info("Tests use embedded PostgreSQL 15 at {}: no server answered at {} ({}): {}", embedded.describe(),
                    address.describe(), address.source(), unanswered.getMessage());
            return new TestPostgres(embedded, true);
        }
    }

    public String host() {
        return address.host();
    }

    public int port() {
        return address.port();
    }

    public String user() {
        return address.user();
    }

    /** Empty for trust authentication, which both the local default and the embedded server use. */
    public String password() {
        return address.password();
    }

    public String jdbcUrl(String database) {
        return address.jdbcUrl(database);
    }

    /** Whether this is the embedded fallback rather than a server that was already running. */
    public boolean embedded() {
        return embedded;
    }

    /** A connection to the maintenance database, where databases are created and dropped. */
    Connection connectToMaintenance() throws SQLException {
        return connect(address.database());
    }

    Connection connect(String database) throws SQLException {
        return connect(address, database, CONNECT_TIMEOUT_SECONDS);
    }

    private static Connection connect(ServerAddress address, String database, int timeoutSeconds)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", address.user());
        if (!address.password().isEmpty()) {
            properties.setProperty("password", address.password());
        }
        // connectTimeout bounds the TCP connect, loginTimeout the whole login including authentication.
        properties.setProperty("connectTimeout", String.valueOf(timeoutSeconds));
        properties.setProperty("loginTimeout", String.valueOf(timeoutSeconds));
        return DriverManager.getConnection(address.jdbcUrl(database), properties);
    }

    @Override
    public String toString() {
        return "TestPostgres[" + address.describe() + (embedded ? ", embedded" : "") + "]";
    }
}
