package dev.transcript.migrations;

import dev.transcript.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Flyway for {@code db/projection}, {@code db/auth} and {@code db/chat} (each its own schema and history, in that
 * order: chat's foreign keys reference auth.users, its V2 grants on the projection bookkeeping), the role names
 * {@code flyway/chat.properties} gives by default, and a little JDBC for the chat tests.
 */
final class ChatMigrations {

    static final String CONFIGURATION = "flyway/chat.properties";
    private static final String PLACEHOLDER = "flyway.placeholders.";

    /** {@code flyway/chat.properties}, as Flyway reads it. */
    static final Properties DEFAULTS = load();
    /** The read API's role, by default. */
    static final String READER = DEFAULTS.getProperty(PLACEHOLDER + "chatReader");
    /** The projector's role, by default. */
    static final String WRITER = DEFAULTS.getProperty(PLACEHOLDER + "chatWriter");

    private ChatMigrations() {
    }

    /** projection-service's bookkeeping, which db/chat's V2 grants the writer. */
    static Flyway projection(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("projection")
                .defaultSchema("projection")
                .locations("classpath:db/projection")
                .load();
    }

    static Flyway auth(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("auth")
                .defaultSchema("auth")
                .locations("classpath:db/auth")
                .load();
    }

    /** With the default role names, configured the way the properties file says to. */
    static Flyway chat(TestDatabase db) {
        return chatConfiguration(db).configuration(DEFAULTS).load();
    }

    /** With other role names: {@code chatReader}, {@code chatWriter}. */
    static Flyway chat(TestDatabase db, String reader, String writer) {
        return chatConfiguration(db)
                .placeholders(Map.of("chatReader", reader, "chatWriter", writer))
                .load();
    }

    private static FluentConfiguration chatConfiguration(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("chat")
                .defaultSchema("chat")
                .locations("classpath:db/chat");
    }

    /** The placeholders the properties file sets, without their {@code flyway.placeholders.} prefix. */
    static Map<String, String> defaultPlaceholders() {
        Map<String, String> placeholders = new HashMap<>();
        DEFAULTS.stringPropertyNames().stream().filter(key -> key.startsWith(PLACEHOLDER))
                .forEach(key -> placeholders.put(key.substring(PLACEHOLDER.length()), DEFAULTS.getProperty(key)));
        return placeholders;
    }

    /** projection, auth and chat, in that order, with the default role names. */
    static void migrate(TestDatabase db) {
        projection(db).migrate();
        auth(db).migrate();
        chat(db).migrate();
    }

    /** A connection as the database's own (migrating, superuser) user. */
    static Connection connect(TestDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** A connection as {@code role}, which logs in without a password (trust on the test server). */
    static Connection connectAs(TestDatabase db, String role) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), role, "");
    }

    /** One statement as the migrating user, e.g. to create or drop a role (roles belong to the whole server). */
    static void execute(TestDatabase db, String sql) throws SQLException {
        try (Connection connection = connect(db); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    static <T> List<T> rows(Connection connection, String sql, Row<T> row) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        }
    }

    static <T> List<T> rows(TestDatabase db, String sql, Row<T> row) throws SQLException {
        try (Connection connection = connect(db)) {
            return rows(connection, sql, row);
        }
    }

    private static Properties load() {
        try (InputStream in = ChatMigrations.class.getClassLoader().getResourceAsStream(CONFIGURATION)) {
            if (in == null) {
                throw new IllegalStateException(CONFIGURATION + " is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
