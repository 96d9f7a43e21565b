package dev.transcript.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A fresh, empty database on {@link TestPostgres}, one per test context, so test classes never see each
 * other's rows and can run in parallel. It is dropped when the JVM exits, or earlier with {@link #drop()}.
 *
 * <pre>
 * &#64;DynamicPropertySource
 * static void db(DynamicPropertyRegistry r) {
 *     TestDatabase.create("cmd").springProperties().forEach((k, v) -&gt; r.add(k, () -&gt; v));
 * }
 * </pre>
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);

    /**
     * Lower-case letters, digits and underscores need no quoting in SQL. 54 characters, an underscore and
     * 8 hex digits make 63, PostgreSQL's limit before it silently truncates a name.
     */
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,53}");

    private final TestPostgres server;
    private final String name;
    private final Thread dropAtExit;
    private boolean dropped;

    private TestDatabase(TestPostgres server, String name) {
        this.server = server;
        this.name = name;
        this.dropAtExit = new Thread(this::dropAtExit, "drop-" + name);
    }

    /**
     * Creates {@code <prefix>_<8 random hex digits>}. Safe to call from several threads at once: each call
     * has its own random name and its own connection, and shares no mutable state with the others.
     *
     * @param prefix a lower-case SQL identifier, e.g. the module or test name; upper case is lowered
     */
    public static TestDatabase create(String prefix) {
        return create(TestPostgres.instance(), prefix);
    }

    static TestDatabase create(TestPostgres server, String prefix) {
        String lowered = prefix.toLowerCase(Locale.ROOT);
        if (!PREFIX.matcher(lowered).matches()) {
            throw new IllegalArgumentException("database prefix must match " + PREFIX + ": " + prefix);
        }
        TestDatabase database = new TestDatabase(server,
                lowered + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        database.execute("CREATE DATABASE " + database.name);
        // An embedded server is deleted with its data directory at exit, and its stop hook would race this one.
        if (!server.embedded()) {
            Runtime.getRuntime().addShutdownHook(database.dropAtExit);
        }
        return database;
    }

    /**
     * Leaves dropping to the owner alone: for a database a Spring context drops when it closes. At JVM exit
     * Spring's own hook closes the context, and this class's exit hook, running beside it, would drop the
     * database under the context's still-running listeners and drainer, which would then wait out their
     * pool's connection timeout.
     */
    public TestDatabase droppedByItsOwner() {
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting already: nothing left to unregister.
        }
        return this;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public String user() {
        return server.user();
    }

    public String password() {
        return server.password();
    }

    /** {@code spring.datasource.url}, {@code .username} and {@code .password}, for a {@code @DynamicPropertySource}. */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", user());
        properties.put("spring.datasource.password", password());
        return Collections.unmodifiableMap(properties);
    }

    /** Drops the database now, disconnecting anyone still connected. Calling it again does nothing. */
    public synchronized void drop() {
        if (dropped) {
            return;
        }
        dropped = true;
        try {
            // FORCE (PostgreSQL 13+) ends sessions a pool still holds, which would otherwise block the drop.
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (IllegalStateException e) {
            if (!server.embedded()) {
                throw e;
            }
            // An embedded server may already be stopping as the JVM exits; its data directory goes with it.
        }
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or while the JVM exits: nothing left to unregister.
        }
    }

    private void dropAtExit() {
        try {
            drop();
        } catch (RuntimeException e) {
            log.warn("could not drop test database {} on {}: {}", name, server, e.getMessage());
        }
    }

    private void execute(String sql) {
        try (Connection connection = server.connectToMaintenance(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + server + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TestDatabase[" + name + " on " + server + "]";
    }
}
