package dev.transcript.migrations;

import dev.transcript.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrated {@code gateway} schema against seed 000 ({@code /work/shared/seeds/000_9bec7449cde9c725.txt}):
 * its tables and their columns, its enums, its indexes and its foreign keys, nothing missing and nothing added.
 * The expected lists below are copied from the seed's text, not from the migration. The one addition allowed
 * is an index of our own for the read API, named {@code ix_…} so it cannot pass for a documented {@code idx_…}
 * one; those are listed in {@link #READ_API_INDEXES}, and any other index fails.
 */
class GatewaySchemaConformanceIT {

    private static final String SCHEMA = "gateway";
    private static final String HISTORY = "flyway_schema_history";

    /** "Tables Created": each table with its documented columns. */
    private static final Map<String, List<String>> TABLES = Map.of(
            "users", List.of("id", "email", "password_hash", "role", "created_at"),
            "sessions", List.of("id", "status", "container_id", "created_at", "expires_at", "last_activity_at",
                    "user_id"),
            "conversations", List.of("id", "session_id", "messages_count", "created_at", "updated_at"),
            "chat_messages", List.of("id", "conversation_id", "role", "content", "tokens_used", "created_at"),
            "git_checkpoints", List.of("id", "session_id", "commit_hash", "message_number", "description",
                    "files_changed", "created_at"),
            "containers", List.of("id", "session_id", "container_name", "image", "status", "cpu_limit",
                    "memory_limit_mb", "created_at", "started_at", "stopped_at"),
            "token_usage", List.of("id", "session_id", "conversation_id", "chat_message_id", "model",
                    "input_tokens", "output_tokens", "total_tokens", "created_at"));

    /** "Enums Created": each enum with its values in documented order. */
    private static final Map<String, List<String>> ENUMS = Map.of(
            "user_role", List.of("user", "admin"),
            "session_status", List.of("pending", "active", "stopped", "expired", "error"),
            "chat_message_role", List.of("user", "assistant", "system"),
            "container_status", List.of("creating", "running", "stopped", "error"));

    /** The column each enum types, by the seed's names (users.role is a user_role, and so on). */
    private static final Map<String, String> ENUM_COLUMNS = Map.of(
            "users.role", "user_role",
            "sessions.status", "session_status",
            "chat_messages.role", "chat_message_role",
            "containers.status", "container_status");

    private record Index(String name, String table, String column, boolean unique) {
    }

    /** Every documented index; the seed names the column in the index name, and marks the unique ones. */
    private static final List<Index> INDEXES = List.of(
            new Index("idx_user_email", "users", "email", true),
            new Index("idx_user_role", "users", "role", false),
            new Index("idx_session_status", "sessions", "status", false),
            new Index("idx_session_expires_at", "sessions", "expires_at", false),
            new Index("idx_session_user_id", "sessions", "user_id", false),
            new Index("idx_conversation_session_id", "conversations", "session_id", true),
            new Index("idx_chat_message_conversation_id", "chat_messages", "conversation_id", false),
            new Index("idx_chat_message_created_at", "chat_messages", "created_at", false),
            new Index("idx_git_checkpoint_session_id", "git_checkpoints", "session_id", false),
            new Index("idx_git_checkpoint_commit_hash", "git_checkpoints", "commit_hash", false),
            new Index("idx_git_checkpoint_created_at", "git_checkpoints", "created_at", false),
            new Index("idx_container_session_id", "containers", "session_id", true),
            new Index("idx_container_name", "containers", "container_name", true),
            new Index("idx_container_status", "containers", "status", false),
            new Index("idx_token_usage_session_id", "token_usage", "session_id", false),
            new Index("idx_token_usage_conversation_id", "token_usage", "conversation_id", false),
            new Index("idx_token_usage_chat_message_id", "token_usage", "chat_message_id", false),
            new Index("idx_token_usage_model", "token_usage", "model", false),
            new Index("idx_token_usage_created_at", "token_usage", "created_at", false));

    /** The prefix of the seed's index names; ours may not use it. */
    private static final String DOCUMENTED_PREFIX = "idx_";
    /** The prefix of the indexes added beyond the seed (V2, the read API's keyset pagination). */
    private static final String ADDED_PREFIX = "ix_";

    /** Every index added beyond the seed, by name, with its table and its columns in order. */
    private static final Map<String, List<String>> READ_API_INDEXES = Map.of(
            "ix_session_created_at", List.of("sessions", "created_at,id"),
            "ix_session_user_created_at", List.of("sessions", "user_id,created_at,id"),
            "ix_session_status_created_at", List.of("sessions", "status,created_at,id"),
            "ix_chat_message_conversation_id_id", List.of("chat_messages", "conversation_id,id"),
            "ix_git_checkpoint_session_order", List.of("git_checkpoints", "session_id,message_number,created_at,id"));

    /** The gateway's migration scripts, in order. */
    private static final List<String> SCRIPTS = List.of("V1__create_gateway.sql", "V2__add_read_api_indexes.sql");

    private record ForeignKey(String table, String column, String referencedTable, String referencedColumn,
                              String onDelete) {
    }

    /** Every documented foreign key with its delete rule; the seed documents no others. */
    private static final Set<ForeignKey> FOREIGN_KEYS = Set.of(
            new ForeignKey("sessions", "user_id", "users", "id", "CASCADE"),
            new ForeignKey("conversations", "session_id", "sessions", "id", "CASCADE"),
            new ForeignKey("chat_messages", "conversation_id", "conversations", "id", "CASCADE"),
            new ForeignKey("git_checkpoints", "session_id", "sessions", "id", "CASCADE"),
            new ForeignKey("containers", "session_id", "sessions", "id", "CASCADE"),
            new ForeignKey("token_usage", "session_id", "sessions", "id", "RESTRICT"));

    private static TestDatabase database;
    private static MigrateResult migration;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create("migrations_gateway");
        migration = gateway(database).migrate();
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void theGatewayMigrationsRunOnAnEmptyDatabase() {
        assertThat(migration.success).isTrue();
        assertThat(migration.migrationsExecuted).isEqualTo(SCRIPTS.size());
        assertThat(migration.targetSchemaVersion).isEqualTo(String.valueOf(SCRIPTS.size()));
    }

    @Test
    void theSchemaHoldsTheSevenDocumentedTablesAndOnlyFlywaysHistoryBesides() throws SQLException {
        List<String> relations = rows(database, """
                SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway'""",
                rs -> rs.getString(1));

        List<String> expected = new ArrayList<>(TABLES.keySet());
        expected.add(HISTORY);
        assertThat(relations).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void eachTableHasExactlyItsDocumentedColumns() throws SQLException {
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        for (List<String> row : rows(database, """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'gateway' AND table_name <> 'flyway_schema_history'""",
                rs -> List.of(rs.getString(1), rs.getString(2)))) {
            columns.computeIfAbsent(row.get(0), table -> new HashSet<>()).add(row.get(1));
        }

        assertThat(columns.keySet()).containsExactlyInAnyOrderElementsOf(TABLES.keySet());
        TABLES.forEach((table, documented) -> assertThat(columns.get(table))
                .as("columns of %s", table)
                .containsExactlyInAnyOrderElementsOf(documented));
    }

    @Test
    void theFourDocumentedEnumsExistWithTheirValuesInDocumentedOrder() throws SQLException {
        Map<String, List<String>> enums = new LinkedHashMap<>();
        for (List<String> row : rows(database, """
                SELECT t.typname, e.enumlabel
                FROM pg_type t
                JOIN pg_namespace n ON n.oid = t.typnamespace
                JOIN pg_enum e ON e.enumtypid = t.oid
                WHERE n.nspname = 'gateway'
                ORDER BY t.typname, e.enumsortorder""", rs -> List.of(rs.getString(1), rs.getString(2)))) {
            enums.computeIfAbsent(row.get(0), type -> new ArrayList<>()).add(row.get(1));
        }

        assertThat(enums).containsExactlyInAnyOrderEntriesOf(ENUMS);
    }

    @Test
    void eachEnumTypesItsDocumentedColumnAndNoOther() throws SQLException {
        Map<String, String> typed = rows(database, """
                SELECT table_name || '.' || column_name, udt_schema || '.' || udt_name
                FROM information_schema.columns
                WHERE table_schema = 'gateway' AND data_type = 'USER-DEFINED'""",
                rs -> Map.entry(rs.getString(1), rs.getString(2)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        assertThat(typed).containsExactlyInAnyOrderEntriesOf(ENUM_COLUMNS.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, column -> SCHEMA + "." + column.getValue())));
    }

    @Test
    void everyDocumentedIndexExistsOnItsColumnWithItsDocumentedUniqueness() throws SQLException {
        Map<String, FoundIndex> found = indexes(database);

        for (Index index : INDEXES) {
            assertThat(found).as("index %s", index.name()).containsKey(index.name());
            FoundIndex actual = found.get(index.name());
            assertThat(actual.table()).as("table of %s", index.name()).isEqualTo(index.table());
            assertThat(actual.columns()).as("columns of %s", index.name()).isEqualTo(index.column());
            assertThat(actual.unique()).as("uniqueness of %s", index.name()).isEqualTo(index.unique());
            assertThat(actual.plain()).as("%s has no expression and no predicate", index.name()).isTrue();
        }
    }

    @Test
    void theDocumentedIndexesAreExactlyTheIdxIndexes() throws SQLException {
        assertThat(indexes(database).keySet().stream().filter(name -> name.startsWith(DOCUMENTED_PREFIX)))
                .containsExactlyInAnyOrderElementsOf(INDEXES.stream().map(Index::name).toList());
    }

    @Test
    void theIndexesAddedForTheReadApiAreExactlyTheIxIndexesEachOnItsColumnsInOrder() throws SQLException {
        Map<String, FoundIndex> added = new LinkedHashMap<>(indexes(database));
        added.keySet().removeIf(name -> !name.startsWith(ADDED_PREFIX));

        assertThat(added.keySet()).containsExactlyInAnyOrderElementsOf(READ_API_INDEXES.keySet());
        READ_API_INDEXES.forEach((name, tableAndColumns) -> {
            FoundIndex actual = added.get(name);
            assertThat(actual.table()).as("table of %s", name).isEqualTo(tableAndColumns.get(0));
            assertThat(actual.columns()).as("columns of %s", name).isEqualTo(tableAndColumns.get(1));
            assertThat(actual.unique()).as("uniqueness of %s", name).isFalse();
            assertThat(actual.primary()).as("%s is no primary key", name).isFalse();
            assertThat(actual.plain()).as("%s has no expression and no predicate", name).isTrue();
        });
    }

    @Test
    void everyOtherIndexIsThePrimaryKeyOnIdOfOneOfTheTables() throws SQLException {
        Map<String, FoundIndex> others = new LinkedHashMap<>(indexes(database));
        others.keySet().removeAll(INDEXES.stream().map(Index::name).toList());
        others.keySet().removeAll(READ_API_INDEXES.keySet());

        assertThat(others.values()).allSatisfy(index -> {
            assertThat(index.primary()).as("%s is a primary key", index).isTrue();
            assertThat(index.columns()).as("columns of %s", index).isEqualTo("id");
        });
        assertThat(others.values()).extracting(FoundIndex::table).containsExactlyInAnyOrderElementsOf(TABLES.keySet());
    }

    @Test
    void theSixDocumentedForeignKeysExistWithTheirDeleteRulesAndNoOthers() throws SQLException {
        List<ForeignKey> found = rows(database, """
                SELECT t.relname,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                        FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                       r.relname,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                        FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                       c.confdeltype
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_class r ON r.oid = c.confrelid
                JOIN pg_namespace n ON n.oid = c.connamespace
                WHERE n.nspname = 'gateway' AND c.contype = 'f'""",
                rs -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        deleteRule(rs.getString(5))));

        assertThat(found).containsExactlyInAnyOrderElementsOf(FOREIGN_KEYS);
    }

    @Test
    void everyTableSaysThatOnlyTheProjectionServiceWritesIt() throws SQLException {
        Map<String, String> comments = rows(database, """
                SELECT c.relname, obj_description(c.oid, 'pg_class')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'gateway' AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'""",
                rs -> List.of(rs.getString(1), String.valueOf(rs.getString(2))))
                .stream().collect(Collectors.toMap(row -> row.get(0), row -> row.get(1)));

        assertThat(comments).containsOnlyKeys(TABLES.keySet());
        assertThat(comments).allSatisfy((table, comment) -> assertThat(comment)
                .as("comment on %s", table)
                .contains("projection-service", "nothing else may write it"));
    }

    @Test
    void migratingAgainExecutesNothing() {
        TestDatabase fresh = TestDatabase.create("migrations_gateway_again");
        try {
            assertThat(gateway(fresh).migrate().migrationsExecuted).isEqualTo(SCRIPTS.size());

            MigrateResult again = gateway(fresh).migrate();

            assertThat(again.success).isTrue();
            assertThat(again.migrationsExecuted).isZero();
            assertThat(gateway(fresh).info().pending()).isEmpty();
        } finally {
            fresh.drop();
        }
    }

    @Test
    void theEventStoreAndTheGatewayMigrateIntoOneDatabaseEachWithItsOwnHistory() throws SQLException {
        TestDatabase shared = TestDatabase.create("migrations_coexist");
        try {
            MigrateResult eventStore = eventStore(shared).migrate();
            MigrateResult gateway = gateway(shared).migrate();

            assertThat(eventStore.success).isTrue();
            assertThat(eventStore.migrationsExecuted).isPositive();
            assertThat(gateway.success).isTrue();
            assertThat(gateway.migrationsExecuted).isEqualTo(SCRIPTS.size());
            assertThat(rows(shared, """
                    SELECT table_schema FROM information_schema.tables WHERE table_name = 'flyway_schema_history'""",
                    rs -> rs.getString(1)))
                    .containsExactlyInAnyOrder("eventstore", "gateway");
            assertThat(appliedScripts(shared, "gateway")).containsExactlyElementsOf(SCRIPTS);
            assertThat(appliedScripts(shared, "eventstore"))
                    .hasSize(eventStore.migrationsExecuted)
                    .doesNotContainAnyElementsOf(SCRIPTS);

            // Each history sees its own schema as up to date, whichever ran last.
            assertThat(eventStore(shared).migrate().migrationsExecuted).isZero();
            assertThat(gateway(shared).migrate().migrationsExecuted).isZero();
        } finally {
            shared.drop();
        }
    }

    /** The SQL scripts a schema's own history has applied (leaving out Flyway's "schema created" marker). */
    private static List<String> appliedScripts(TestDatabase db, String schema) throws SQLException {
        return rows(db, "SELECT script FROM " + schema + ".flyway_schema_history WHERE type = 'SQL' AND success"
                + " ORDER BY installed_rank", rs -> rs.getString(1));
    }

    private static Flyway gateway(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("gateway")
                .defaultSchema("gateway")
                .locations("classpath:db/gateway")
                .load();
    }

    private static Flyway eventStore(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas("eventstore")
                .defaultSchema("eventstore")
                .locations("classpath:db/eventstore")
                .load();
    }

    private record FoundIndex(String table, String columns, boolean unique, boolean primary, boolean plain) {
    }

    /** Every index of the gateway's own tables by name; plain means no expression and no predicate. */
    private static Map<String, FoundIndex> indexes(TestDatabase db) throws SQLException {
        return rows(db, """
                SELECT ic.relname, tc.relname,
                       coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.n)
                                 FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
                                 JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum), ''),
                       ix.indisunique, ix.indisprimary, ix.indexprs IS NULL AND ix.indpred IS NULL
                FROM pg_index ix
                JOIN pg_class ic ON ic.oid = ix.indexrelid
                JOIN pg_class tc ON tc.oid = ix.indrelid
                JOIN pg_namespace n ON n.oid = tc.relnamespace
                WHERE n.nspname = 'gateway' AND tc.relname <> 'flyway_schema_history'""",
                rs -> Map.entry(rs.getString(1), new FoundIndex(rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getBoolean(5), rs.getBoolean(6))))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String deleteRule(String confdeltype) {
        return switch (confdeltype) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> throw new IllegalArgumentException("confdeltype " + confdeltype);
        };
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(TestDatabase db, String sql, Row<T> row) throws SQLException {
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        }
    }
}
