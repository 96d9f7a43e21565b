package dev.transcript.migrations;

import dev.transcript.migrations.ChatAppEngine.Fresh;
import dev.transcript.migrations.SeedTables.SeedColumn;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code db/chat_app} on a fresh PostgreSQL database and on a fresh MariaDB database, each compared through its
 * own catalogue ({@code information_schema}; on PostgreSQL {@code pg_index} for the indexes, which
 * {@code information_schema} does not list) with what seed 002 documents, and with each other.
 *
 * <p>The expected chat tables are <b>parsed from the verbatim seed</b> ({@link SeedTables}): each table's columns
 * in the seed's order with the seed's types, its primary key and its "FK to ..." references. What the seed leaves
 * open is written out here as decided: {@code TIMESTAMP} is stored as {@code TIMESTAMP(6)}; which columns may be
 * NULL ({@link #NULLABLE}); ON DELETE CASCADE, as the seed's example migration does; the names of constraints and
 * indexes; and the two auth tables the seed only names ({@link #AUTH_TABLES}).
 */
class ChatAppSchemaConformanceIT {

    private static final SeedTables SEED = SeedTables.read();

    record Column(String name, String type, boolean nullable) {
    }

    /** The seed says nothing on NULL: ids, keys and what every row has are NOT NULL; these may be missing. */
    private static final Map<String, Set<String>> NULLABLE = Map.of(
            "chat_sessions", Set.of("title"),
            "chat_messages", Set.of("model", "tokens_used", "metadata"),
            "pipeline_executions", Set.of("input_data", "output_data", "error_message", "duration_ms", "completed_at"));

    /** The seed names users and sessions ("from ia_auth_sessions") without columns; these are as decided. */
    private static final Map<String, List<Column>> AUTH_TABLES = Map.of(
            "users", List.of(
                    new Column("id", "VARCHAR(36)", false),
                    new Column("email", "VARCHAR(255)", false),
                    new Column("password_hash", "VARCHAR(255)", false),
                    new Column("is_active", "BOOLEAN", false),
                    new Column("created_at", "TIMESTAMP(6)", false),
                    new Column("updated_at", "TIMESTAMP(6)", false),
                    new Column("last_login_at", "TIMESTAMP(6)", true)),
            "sessions", List.of(
                    new Column("id", "VARCHAR(36)", false),
                    new Column("user_id", "VARCHAR(36)", false),
                    new Column("token_hash", "VARCHAR(64)", false),
                    new Column("ip_address", "VARCHAR(45)", true),
                    new Column("user_agent", "TEXT", true),
                    new Column("is_active", "BOOLEAN", false),
                    new Column("created_at", "TIMESTAMP(6)", false),
                    new Column("expires_at", "TIMESTAMP(6)", false),
                    new Column("last_activity_at", "TIMESTAMP(6)", false)));

    /** Every table with its columns in order: the auth tables, then the seed's, as the migration creates them. */
    static final Map<String, List<Column>> TABLES = tables();

    private static Map<String, List<Column>> tables() {
        Map<String, List<Column>> tables = new LinkedHashMap<>();
        tables.put("users", AUTH_TABLES.get("users"));
        tables.put("sessions", AUTH_TABLES.get("sessions"));
        SEED.tables().forEach((table, columns) -> tables.put(table, columns.stream()
                .map(column -> new Column(column.name(), storedType(column.type()),
                        NULLABLE.getOrDefault(table, Set.of()).contains(column.name())))
                .toList()));
        return tables;
    }

    /** The seed's types as stored: its TIMESTAMP gets microseconds; VARCHAR(n), TEXT, INTEGER are as written. */
    private static String storedType(String seedType) {
        return "TIMESTAMP".equals(seedType) ? "TIMESTAMP(6)" : seedType;
    }

    /**
     * What both catalogues must say, in {@link ChatAppEngine#facts} lines: the tables and columns above, a primary
     * key on id, the seed's foreign keys (and sessions.user_id) with ON DELETE CASCADE and an index each, the two
     * unique columns, and two lookups: sessions by expiry, pipeline runs by status.
     */
    static List<String> expectedFacts() {
        TreeSet<String> facts = new TreeSet<>();
        TABLES.forEach((table, columns) -> {
            facts.add("table " + table);
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                facts.add("column " + table + " #" + (i + 1) + " " + column.name() + " " + column.type()
                        + (column.nullable() ? " NULL" : " NOT NULL"));
            }
            facts.add("primary key " + table + " (id)");
            facts.add("unique index " + table + " PRIMARY (id)");
        });

        Map<String, String> references = new LinkedHashMap<>(); // table.column -> table.column
        references.put("sessions.user_id", "users.id");
        SEED.tables().forEach((table, columns) -> columns.stream().filter(column -> column.references() != null)
                .forEach(column -> references.put(table + "." + column.name(), column.references())));
        references.forEach((from, to) -> {
            String[] source = from.split("\\.");
            String[] target = to.split("\\.");
            facts.add("foreign key " + source[0] + " fk_" + source[0] + "_" + source[1] + " (" + source[1] + ") -> "
                    + target[0] + " (" + target[1] + ") ON DELETE CASCADE");
            facts.add("index " + source[0] + " idx_" + source[0] + "_" + source[1] + " (" + source[1] + ")");
        });

        for (String unique : List.of("users.email", "sessions.token_hash")) {
            String[] parts = unique.split("\\.");
            facts.add("unique " + parts[0] + " uq_" + parts[0] + "_" + parts[1] + " (" + parts[1] + ")");
            facts.add("unique index " + parts[0] + " uq_" + parts[0] + "_" + parts[1] + " (" + parts[1] + ")");
        }
        facts.add("index sessions idx_sessions_expires_at (expires_at)");
        facts.add("index pipeline_executions idx_pipeline_executions_status (status)");
        return List.copyOf(facts);
    }

    /** Each line one side has and the other lacks, as "missing: ..." (expected only) or "unexpected: ...". */
    static List<String> differences(List<String> expected, List<String> actual) {
        List<String> differences = new ArrayList<>();
        expected.stream().filter(fact -> !actual.contains(fact)).forEach(fact -> differences.add("missing: " + fact));
        actual.stream().filter(fact -> !expected.contains(fact)).forEach(fact -> differences.add("unexpected: " + fact));
        return differences;
    }

    /** One migrated database per engine for the read-only checks, created on first use (MariaDB may skip). */
    private static final Map<ChatAppEngine, Fresh> MIGRATED = new EnumMap<>(ChatAppEngine.class);
    private static final Map<ChatAppEngine, MigrateResult> RESULTS = new EnumMap<>(ChatAppEngine.class);

    private static synchronized Fresh migrated(ChatAppEngine engine) {
        return MIGRATED.computeIfAbsent(engine, e -> {
            Fresh fresh = e.create("chat_app_conformance");
            RESULTS.put(e, ChatAppMigrations.migrate(fresh.dataSource()));
            return fresh;
        });
    }

    @AfterAll
    static void dropDatabases() {
        MIGRATED.values().forEach(Fresh::close);
    }

    @Test
    void theSeedDocumentsThreeTablesWithTheirColumnsPrimaryKeysAndReferences() {
        assertThat(SEED.tables().keySet()).containsExactly("chat_sessions", "chat_messages", "pipeline_executions");
        assertThat(SEED.tables().get("chat_sessions")).extracting(SeedColumn::name)
                .containsExactly("id", "user_id", "title", "created_at", "updated_at");
        assertThat(SEED.tables().get("chat_messages")).extracting(SeedColumn::name)
                .containsExactly("id", "session_id", "role", "content", "model", "tokens_used", "metadata", "created_at");
        assertThat(SEED.tables().get("pipeline_executions")).extracting(SeedColumn::name)
                .containsExactly("id", "user_id", "pipeline_name", "input_data", "output_data", "status",
                        "error_message", "duration_ms", "created_at", "completed_at");
        SEED.tables().forEach((table, columns) -> {
            assertThat(columns.getFirst()).as("%s.id", table)
                    .isEqualTo(new SeedColumn("id", "VARCHAR(36)", true, null));
            assertThat(columns).as("types of %s", table).extracting(SeedColumn::type)
                    .allMatch(type -> type.matches("VARCHAR\\(\\d+\\)|TEXT|INTEGER|TIMESTAMP"));
        });
        Map<String, String> references = new HashMap<>();
        SEED.tables().forEach((table, columns) -> columns.stream().filter(c -> c.references() != null)
                .forEach(c -> references.put(table + "." + c.name(), c.references())));
        // The seed's diagram: users → chat_sessions → chat_messages, users → pipeline_executions.
        assertThat(references).containsOnly(
                entry("chat_sessions.user_id", "users.id"),
                entry("chat_messages.session_id", "chat_sessions.id"),
                entry("pipeline_executions.user_id", "users.id"));
    }

    @ParameterizedTest
    @EnumSource(ChatAppEngine.class)
    void migratesAFreshDatabaseInOneStepWithItsHistoryBesideTheTables(ChatAppEngine engine) throws SQLException {
        Fresh database = migrated(engine);
        MigrateResult result = RESULTS.get(engine);

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isEqualTo(1);
        assertThat(result.targetSchemaVersion).isEqualTo("1");
        try (Connection connection = database.connect()) {
            // PostgreSQL: schema chat_app, nothing in public. MariaDB: the test database is the schema.
            assertThat(ChatAppEngine.rows(connection, """
                    SELECT table_schema FROM information_schema.tables WHERE table_name = ?""",
                    ChatAppEngine.HISTORY, 1)).containsExactly(List.of(database.schema()));
            assertThat(ChatAppEngine.rows(connection, """
                    SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = ?""",
                    "chat_messages", 1)).containsExactly(List.of(database.schema()));
            assertThat(appliedScripts(connection)).containsExactly("V1__create_chat_app.sql");
        }
    }

    @ParameterizedTest
    @EnumSource(ChatAppEngine.class)
    void theTablesAreTheSeedsTablesAndTheDecidedAuthTables(ChatAppEngine engine) throws SQLException {
        List<String> actual = migrated(engine).facts();

        assertThat(differences(expectedFacts(), actual)).as("%s against the seed", engine).isEmpty();
    }

    @Test
    void theTwoEnginesReportTheSameSchema() throws SQLException {
        List<String> postgresql = migrated(ChatAppEngine.POSTGRESQL).facts();
        List<String> mariadb = migrated(ChatAppEngine.MARIADB).facts();

        assertThat(differences(postgresql, mariadb)).as("MariaDB against PostgreSQL").isEmpty();
        assertThat(mariadb).hasSize(postgresql.size()).isNotEmpty();
    }

    @Test
    void onMariaDbNoTimestampHasAnImplicitDefaultOrOnUpdateAndEveryTableComparesTextExactlyInUtcSessions() throws SQLException {
        Fresh database = migrated(ChatAppEngine.MARIADB);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT @@session.time_zone")) {
                rows.next();
                assertThat(rows.getString(1)).as("sessionVariables in the URL put the session in UTC").isEqualTo("+00:00");
            }
            for (String table : TABLES.keySet()) {
                String ddl;
                try (ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + table)) {
                    rows.next();
                    ddl = rows.getString(2);
                }
                assertThat(ddl.toLowerCase()).as(ddl)
                        .doesNotContain("current_timestamp", "on update", "0000-00-00")
                        .contains("engine=innodb", "charset=utf8mb4")
                        .containsPattern("collate=utf8mb4_(nopad_bin|0900_bin)");
                TABLES.get(table).stream().filter(column -> column.type().startsWith("TIMESTAMP")).forEach(column ->
                        assertThat(ddl).as(ddl).contains("`" + column.name() + "` timestamp(6) "
                                + (column.nullable() ? "NULL DEFAULT NULL" : "NOT NULL") + ","));
            }
        }
    }

    /** The same values, written through plain JDBC on each engine, in the order the foreign keys need. */
    private static final LocalDateTime REGISTERED = LocalDateTime.of(2026, 11, 23, 5, 17, 12, 123_456_000);
    private static final LocalDateTime REPLIED = LocalDateTime.of(2026, 11, 23, 5, 17, 13, 999_999_000);
    private static final LocalDateTime EXPIRES = LocalDateTime.of(2026, 11, 30, 23, 59, 59, 1_000);

    private static final Map<String, List<Map<String, Object>>> ROWS = rowsToWrite();

    private static Map<String, List<Map<String, Object>>> rowsToWrite() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        rows.put("users", List.of(
                row("id", "0b7f5c1e-7d4a-4f38-9a56-1d2c3b4a5e6f", "email", "Ada@example.com",
                        "password_hash", "$2a$10$abcdefghijklmnopqrstuuJ8mNQXlL1t0Q2pY3rS4vW5xZ6yA7bC8",
                        "is_active", true, "created_at", REGISTERED, "updated_at", REGISTERED, "last_login_at", null),
                // Differs only in case: a second row on both engines, as PostgreSQL compares text.
                row("id", "1c8a6d2f-8e5b-4049-8b67-2e3d4c5b6f70", "email", "ada@example.com",
                        "password_hash", "$2a$10$zyxwvutsrqponmlkjihgfeK9nORYmM2u1R3qZ4sT5wX6yZ7zB8cD9",
                        "is_active", false, "created_at", REGISTERED, "updated_at", REPLIED, "last_login_at", REPLIED)));
        rows.put("sessions", List.of(row("id", "2d9b7e30-9f6c-4150-9c78-3f4e5d6c7081",
                "user_id", "0b7f5c1e-7d4a-4f38-9a56-1d2c3b4a5e6f",
                "token_hash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "ip_address", "2001:db8:85a3::8a2e:370:7334", "user_agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101",
                "is_active", true, "created_at", REGISTERED, "expires_at", EXPIRES, "last_activity_at", REPLIED)));
        rows.put("chat_sessions", List.of(row("id", "3eac8f41-a07d-4261-8d89-40f5e6d7e892",
                "user_id", "0b7f5c1e-7d4a-4f38-9a56-1d2c3b4a5e6f", "title", "Première conversation \uD83D\uDE80",
                "created_at", REGISTERED, "updated_at", REPLIED)));
        rows.put("chat_messages", List.of(
                row("id", "4fbd9052-b18e-4372-9e9a-5106f7e8f9a3", "session_id", "3eac8f41-a07d-4261-8d89-40f5e6d7e892",
                        "role", "user", "content", "Grüße — what's 2+2?\nTrailing space ", "model", null,
                        "tokens_used", 7, "metadata", null, "created_at", REGISTERED),
                row("id", "50ce0163-c29f-4483-afab-6217a8f90ab4", "session_id", "3eac8f41-a07d-4261-8d89-40f5e6d7e892",
                        "role", "assistant", "content", "4 \uD83D\uDC4B", "model", "gpt-4o-2024-08-06",
                        "tokens_used", 2_147_483_647,
                        "metadata", "{\"temperature\": 0.2, \"tools\": [\"search\"], \"note\": \"\\u00e9 \uD83D\uDE42\"}",
                        "created_at", REPLIED)));
        rows.put("pipeline_executions", List.of(
                row("id", "61df1274-d3a0-4594-b0bc-7328b90a1bc5", "user_id", "0b7f5c1e-7d4a-4f38-9a56-1d2c3b4a5e6f",
                        "pipeline_name", "summarize", "input_data", "{\"messages\": 2}", "output_data", "{}",
                        "status", "completed", "error_message", null, "duration_ms", 0,
                        "created_at", REGISTERED, "completed_at", REPLIED),
                row("id", "72e02385-e4b1-46a5-81cd-8439ca1b2cd6", "user_id", "1c8a6d2f-8e5b-4049-8b67-2e3d4c5b6f70",
                        "pipeline_name", "translate", "input_data", null, "output_data", null,
                        "status", "failed", "error_message", "model timed out after 30 s", "duration_ms", 30_000,
                        "created_at", REPLIED, "completed_at", null)));
        return rows;
    }

    @Test
    void aRowWrittenWithTheSameValuesReadsBackIdenticallyOnBothEngines() throws SQLException {
        Map<ChatAppEngine, Map<String, List<Map<String, Object>>>> read = new EnumMap<>(ChatAppEngine.class);
        Map<ChatAppEngine, BigDecimal> stored = new EnumMap<>(ChatAppEngine.class);
        for (ChatAppEngine engine : ChatAppEngine.values()) {
            try (Fresh database = engine.create("chat_app_rows")) {
                ChatAppMigrations.migrate(database.dataSource());
                try (Connection connection = database.connect()) {
                    write(connection);
                    read.put(engine, readBack(connection));
                    try (PreparedStatement query = connection.prepareStatement(engine.epochSql("chat_messages", "created_at"))) {
                        query.setString(1, "50ce0163-c29f-4483-afab-6217a8f90ab4");
                        try (ResultSet rows = query.executeQuery()) {
                            rows.next();
                            stored.put(engine, rows.getBigDecimal(1));
                        }
                    }
                }
            }
        }

        assertThat(read.get(ChatAppEngine.POSTGRESQL)).as("PostgreSQL").isEqualTo(ROWS);
        assertThat(read.get(ChatAppEngine.MARIADB)).as("MariaDB").isEqualTo(ROWS);
        // Stored as the same instant on both: seconds since 1970 UTC, to the microsecond.
        BigDecimal expected = BigDecimal.valueOf(REPLIED.toEpochSecond(ZoneOffset.UTC))
                .add(BigDecimal.valueOf(REPLIED.getNano(), 9));
        assertThat(stored.values()).allSatisfy(epoch -> assertThat(epoch).isEqualByComparingTo(expected));
    }

    @ParameterizedTest
    @EnumSource(ChatAppEngine.class)
    void keysHoldAndDeletingAUserCascadesToEverythingOfTheirs(ChatAppEngine engine) throws SQLException {
        try (Fresh database = engine.create("chat_app_keys")) {
            ChatAppMigrations.migrate(database.dataSource());
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                write(connection);

                assertIntegrityViolation(() -> insert(connection, "users", modified(ROWS.get("users").getFirst(),
                        "id", "83f13496-f5c2-47b6-92de-954adb2c3de7")));
                assertIntegrityViolation(() -> insert(connection, "sessions", modified(ROWS.get("sessions").getFirst(),
                        "id", "94024507-06d3-48c7-a3ef-a65bec3d4ef8")));
                assertIntegrityViolation(() -> insert(connection, "chat_messages", modified(
                        ROWS.get("chat_messages").getFirst(), "id", "a5135618-17e4-49d8-b4f0-b76cfd4e5f09",
                        "session_id", "no-such-session")));
                assertIntegrityViolation(() -> insert(connection, "chat_messages", modified(
                        ROWS.get("chat_messages").getFirst(), "id", "b624672a-28f5-4ae9-8501-c87d0e5f6a1a",
                        "content", null)));

                statement.executeUpdate("DELETE FROM users WHERE id = '0b7f5c1e-7d4a-4f38-9a56-1d2c3b4a5e6f'");

                assertThat(count(statement, "sessions")).isZero();
                assertThat(count(statement, "chat_sessions")).isZero();
                assertThat(count(statement, "chat_messages")).isZero();
                assertThat(count(statement, "pipeline_executions")).as("the other user's run stays").isEqualTo(1);
                assertThat(count(statement, "users")).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChatAppEngine.class)
    void migratingAgainExecutesNothing(ChatAppEngine engine) throws SQLException {
        try (Fresh database = engine.create("chat_app_again")) {
            assertThat(ChatAppMigrations.migrate(database.dataSource()).migrationsExecuted).isEqualTo(1);
            List<String> before = database.facts();

            MigrateResult again = ChatAppMigrations.migrate(database.dataSource());

            assertThat(again.success).isTrue();
            assertThat(again.migrationsExecuted).isZero();
            assertThat(ChatAppMigrations.configure(database.dataSource()).load().info().pending()).isEmpty();
            assertThat(database.facts()).isEqualTo(before);
            try (Connection connection = database.connect()) {
                assertThat(appliedScripts(connection)).containsExactly("V1__create_chat_app.sql");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ChatAppEngine.class)
    void theComparisonNoticesADroppedColumnAndADroppedIndex(ChatAppEngine engine) throws SQLException {
        try (Fresh database = engine.create("chat_app_broken")) {
            ChatAppMigrations.migrate(database.dataSource());
            assertThat(differences(expectedFacts(), database.facts())).isEmpty();

            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE chat_messages DROP COLUMN model");
                statement.execute(engine.dropIndexSql("sessions", "idx_sessions_expires_at"));
            }

            assertThat(differences(expectedFacts(), database.facts())).contains(
                    "missing: column chat_messages #5 model VARCHAR(100) NULL",
                    "unexpected: column chat_messages #5 tokens_used INTEGER NULL",
                    "missing: index sessions idx_sessions_expires_at (expires_at)");
        }
    }

    private static void write(Connection connection) throws SQLException {
        for (Map.Entry<String, List<Map<String, Object>>> table : ROWS.entrySet()) {
            for (Map<String, Object> row : table.getValue()) {
                insert(connection, table.getKey(), row);
            }
        }
    }

    /** Binds each value by its column's type; a null as a typed NULL. */
    private static void insert(Connection connection, String table, Map<String, Object> row) throws SQLException {
        List<Column> columns = TABLES.get(table);
        String sql = "INSERT INTO " + table + " (" + String.join(", ", row.keySet()) + ") VALUES ("
                + String.join(", ", row.keySet().stream().map(c -> "?").toList()) + ")";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            int index = 1;
            for (Map.Entry<String, Object> value : row.entrySet()) {
                String type = columns.stream().filter(c -> c.name().equals(value.getKey())).findFirst().orElseThrow().type();
                if (value.getValue() == null) {
                    insert.setNull(index++, sqlType(type));
                } else {
                    insert.setObject(index++, value.getValue());
                }
            }
            insert.executeUpdate();
        }
    }

    /** Every table's rows by id, every column read as the Java type its declared type maps to. */
    private static Map<String, List<Map<String, Object>>> readBack(Connection connection) throws SQLException {
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String table : ROWS.keySet()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (Column column : TABLES.get(table)) {
                        row.put(column.name(), switch (sqlType(column.type())) {
                            case Types.TIMESTAMP -> rs.getObject(column.name(), LocalDateTime.class);
                            case Types.BOOLEAN -> rs.getObject(column.name(), Boolean.class);
                            case Types.INTEGER -> rs.getObject(column.name(), Integer.class);
                            default -> rs.getString(column.name());
                        });
                    }
                    rows.add(row);
                }
            }
            tables.put(table, rows);
        }
        return tables;
    }

    private static int sqlType(String type) {
        if (type.startsWith("TIMESTAMP")) {
            return Types.TIMESTAMP;
        }
        return switch (type) {
            case "BOOLEAN" -> Types.BOOLEAN;
            case "INTEGER" -> Types.INTEGER;
            default -> Types.VARCHAR;
        };
    }

    /** Alternating column names and values, in order; values may be null. */
    private static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    private static Map<String, Object> modified(Map<String, Object> row, Object... namesAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.putAll(row(namesAndValues));
        return copy;
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    /** SQLSTATE class 23 on both engines: a unique, foreign key or NOT NULL constraint refused the row. */
    private static void assertIntegrityViolation(SqlAction action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).as(e.getMessage()).startsWith("23"));
    }

    private static int count(Statement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** The SQL scripts chat_app's history has applied, leaving out Flyway's "schema created" marker. */
    private static List<String> appliedScripts(Connection connection) throws SQLException {
        List<String> scripts = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT script FROM " + ChatAppEngine.HISTORY
                     + " WHERE type = 'SQL' AND success ORDER BY installed_rank")) {
            while (rows.next()) {
                scripts.add(rows.getString(1));
            }
        }
        return scripts;
    }
}
