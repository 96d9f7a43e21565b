package dev.transcript.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Migrates the {@code chat_app} read model (seed 002, {@code db/chat_app/V*.sql}) on PostgreSQL or on
 * MariaDB/MySQL: the same SQL files, one Flyway history, configured for the engine the {@link DataSource}
 * connects to (read from its connection's metadata).
 *
 * <table>
 * <caption>How Flyway is configured</caption>
 * <tr><th>engine</th><th>tables and history</th><th>Flyway settings</th></tr>
 * <tr><td>PostgreSQL</td><td>schema {@code chat_app} of the connected database, created by Flyway if missing;
 *     history {@code chat_app.flyway_schema_history}</td>
 *     <td>{@code dataSource(ds).locations("classpath:db/chat_app").schemas("chat_app").defaultSchema("chat_app")}</td></tr>
 * <tr><td>MariaDB, MySQL</td><td>the database the DataSource's URL names (a schema <em>is</em> a database there);
 *     history {@code <database>.flyway_schema_history}. The database must exist, hold nothing else (its
 *     {@code users} and {@code sessions} would clash with other read models'), and be created
 *     {@code CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin} (MariaDB) or {@code utf8mb4_0900_bin} (MySQL 8)</td>
 *     <td>{@code dataSource(ds).locations("classpath:db/chat_app").schemas(db).defaultSchema(db).createSchemas(false)},
 *     plus {@code initSql("SET SESSION explicit_defaults_for_timestamp = 1")} when the server has it off</td></tr>
 * </table>
 *
 * <p>Checked before migrating on MariaDB/MySQL, failing with what to change: a database is selected; text
 * compares as PostgreSQL compares it (utf8mb4 and a binary no-pad collation, so {@code 'A' <> 'a'} and
 * {@code 'a' <> 'a '}, and a unique index accepts the same rows on both engines). And because with
 * {@code explicit_defaults_for_timestamp} off (the default before MariaDB 10.10 and MySQL 8.0.2) the server
 * would give the first {@code TIMESTAMP NOT NULL} column {@code DEFAULT CURRENT_TIMESTAMP ON UPDATE
 * CURRENT_TIMESTAMP}, Flyway's sessions then switch it on.
 *
 * <p>Writing rows (for the projector): times are UTC {@link java.time.LocalDateTime}s, bound with
 * {@code setObject}; {@code TIMESTAMP(6)} keeps microseconds on both engines. MariaDB/MySQL convert a
 * {@code TIMESTAMP} from the session's time zone to UTC and back, so connect with the session in UTC, e.g.
 * {@code jdbc:mariadb://host:3306/chat_app?sessionVariables=time_zone='+00:00'}; otherwise a UTC time that does
 * not exist in the session's zone (a daylight-saving gap) is moved. MariaDB before 11.5 stores {@code TIMESTAMP}
 * only up to 2038-01-19 03:14:07 UTC; {@code TEXT} holds at most 65,535 bytes there (PostgreSQL: 1 GB).
 */
public final class ChatAppMigrations {

    /** The PostgreSQL schema, and the name of the read model. */
    public static final String SCHEMA = "chat_app";
    public static final String LOCATION = "classpath:db/chat_app";

    /** A database name needs no quoting when it is made of these; anything else is refused, not quoted. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$]+");

    private ChatAppMigrations() {
    }

    /** The engines chat_app's SQL runs on. */
    public enum Engine {
        POSTGRESQL,
        /** MariaDB and MySQL: one dialect for this SQL, and Flyway's {@code flyway-mysql} serves both. */
        MARIADB;

        /**
         * @param productName {@link java.sql.DatabaseMetaData#getDatabaseProductName()}: "PostgreSQL", "MariaDB",
         *                    "MySQL" (the MariaDB driver reports "MySQL" for a MySQL server)
         * @throws IllegalArgumentException for any other engine
         */
        public static Engine of(String productName) {
            String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
            if (name.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (name.contains("mariadb") || name.contains("mysql")) {
                return MARIADB;
            }
            throw new IllegalArgumentException(
                    "chat_app migrates on PostgreSQL and on MariaDB/MySQL only, not on " + productName);
        }
    }

    /** Migrates chat_app to the latest version on the engine {@code dataSource} connects to. */
    public static MigrateResult migrate(DataSource dataSource) {
        return configure(dataSource).load().migrate();
    }

    /**
     * The Flyway configuration {@link #migrate} uses, for a caller that wants {@code info()}, {@code validate()}
     * or settings of its own on top. Connects once to find the engine and, on MariaDB/MySQL, check the database.
     *
     * @throws IllegalStateException when the database cannot hold chat_app as it is (the message says why)
     */
    public static FluentConfiguration configure(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Engine engine = Engine.of(connection.getMetaData().getDatabaseProductName());
            FluentConfiguration flyway = Flyway.configure().dataSource(dataSource).locations(LOCATION);
            return switch (engine) {
                case POSTGRESQL -> flyway.schemas(SCHEMA).defaultSchema(SCHEMA);
                case MARIADB -> configureMariaDb(flyway, connection);
            };
        } catch (SQLException e) {
            throw new IllegalStateException("could not inspect the database for chat_app: " + e.getMessage(), e);
        }
    }

    private static FluentConfiguration configureMariaDb(FluentConfiguration flyway, Connection connection)
            throws SQLException {
        String database = connection.getCatalog();
        if (database == null || database.isEmpty()) {
            throw new IllegalStateException("chat_app on MariaDB/MySQL migrates into the database the connection"
                    + " selects, and this one selects none: name it in the JDBC URL (jdbc:mariadb://host:3306/chat_app)");
        }
        if (!PLAIN_NAME.matcher(database).matches()) {
            throw new IllegalStateException("chat_app's MariaDB/MySQL database needs a plain name"
                    + " (letters, digits, _ and $), not " + database);
        }
        try (Statement statement = connection.createStatement()) {
            String charset;
            String collation;
            boolean explicitDefaults;
            try (ResultSet rows = statement.executeQuery("""
                    SELECT @@character_set_database, @@collation_database, @@explicit_defaults_for_timestamp""")) {
                rows.next();
                charset = rows.getString(1);
                collation = rows.getString(2);
                explicitDefaults = rows.getBoolean(3);
            }
            if (!"utf8mb4".equalsIgnoreCase(charset) || !comparesExactly(statement, collation)) {
                throw new IllegalStateException("chat_app needs MariaDB/MySQL database " + database + " to compare"
                        + " text as PostgreSQL does (case, accents and trailing spaces count), but it is "
                        + charset + " " + collation + ". Create it with: CREATE DATABASE " + database
                        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin (MariaDB; utf8mb4_0900_bin on MySQL 8),"
                        + " or, while it holds no tables yet: ALTER DATABASE " + database
                        + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
            }
            FluentConfiguration configured = flyway.schemas(database).defaultSchema(database).createSchemas(false);
            return explicitDefaults ? configured
                    : configured.initSql("SET SESSION explicit_defaults_for_timestamp = 1");
        }
    }

    /**
     * Asks the server rather than trusting a list of names: under {@code collation}, do case and trailing spaces
     * make two strings differ? ({@code utf8mb4_bin} pads, {@code utf8mb4_general_ci} folds case; both fail.)
     */
    private static boolean comparesExactly(Statement statement, String collation) throws SQLException {
        if (collation == null || !PLAIN_NAME.matcher(collation).matches()) {
            return false;
        }
        try (ResultSet rows = statement.executeQuery("""
                SELECT _utf8mb4'A' = _utf8mb4'a' COLLATE %1$s, _utf8mb4'a' = _utf8mb4'a ' COLLATE %1$s,
                       _utf8mb4'a' = _utf8mb4'á' COLLATE %1$s""".formatted(collation))) {
            rows.next();
            return !rows.getBoolean(1) && !rows.getBoolean(2) && !rows.getBoolean(3);
        }
    }
}
