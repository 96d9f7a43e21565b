package dev.transcript.migrations;

import dev.transcript.migrations.SchemaCatalog.Category;
import dev.transcript.migrations.SchemaCatalog.Snapshot;
import dev.transcript.migrations.SeedDocument.Block;
import dev.transcript.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The migrated {@code todo} schema against seed 003's own DDL ({@code seeds/003_9773e78347053d62.txt}, a verbatim
 * copy of the seed). The seed's four {@code ```sql} blocks (one {@code CREATE TABLE} per migration file, with
 * its named foreign keys and the CHECK on {@code messages.role}) are executed as written, in the seed's order,
 * into a reference schema {@code seed_todo}. The seed gives its indexes only as bullets under "Indexes", so each
 * is written out below, next to the bullet it comes from, and created on the reference schema after its table.
 * Flyway migrates {@code todo} beside it with its own history, and the two are compared through PostgreSQL's
 * catalog ({@link SchemaCatalog}): relations, columns (type, default, nullability, order), constraints by name
 * and definition, indexes by name and definition, triggers, views, functions and types. Nothing may be missing
 * and nothing added but Flyway's history.
 */
class TodoSchemaConformanceIT {

    private static final String SEED_FILE = "003_9773e78347053d62.txt";
    private static final String SCHEMA = "todo";
    private static final String REFERENCE = "seed_todo";

    private static final List<String> SCRIPTS = List.of("V1__create_todo.sql");

    /** The seed's four sections, one per migration file, each holding one {@code ```sql} block. */
    private static final String USERS = "### 000_create_users_table.sql";
    private static final String TASKS = "### 001_create_tasks_table.sql";
    private static final String CONVERSATIONS = "### 002_add_conversations_table.sql";
    private static final String MESSAGES = "### 003_add_messages_table.sql";
    private static final List<String> SECTIONS = List.of(USERS, TASKS, CONVERSATIONS, MESSAGES);

    /**
     * The sort orders, from the seed's "Key Design Decisions", "4. Composite Indexes" (quoted verbatim):
     * "(user_id, created_at DESC) for dashboard queries" and "(conversation_id, created_at ASC) for thread
     * retrieval".
     */
    private static final List<String> COMPOSITE_INDEX_LINES = List.of(
            "- (user_id, created_at DESC) for dashboard queries",
            "- (conversation_id, created_at ASC) for thread retrieval");

    /** An index the seed gives as a bullet {@code - `name` - text} under a section's "Indexes". */
    private record DocumentedIndex(String section, String name, String bullet, String definition) {
    }

    /** Every "Indexes" bullet of the seed in its order, each with the index it describes. */
    private static final List<DocumentedIndex> INDEXES = List.of(
            // - `idx_users_email` - Fast email lookups (login queries)
            new DocumentedIndex(USERS, "idx_users_email", "Fast email lookups (login queries)",
                    "CREATE INDEX idx_users_email ON users (email)"),
            // - `idx_tasks_user_id` - Single column, fast user filtering
            new DocumentedIndex(TASKS, "idx_tasks_user_id", "Single column, fast user filtering",
                    "CREATE INDEX idx_tasks_user_id ON tasks (user_id)"),
            // - `idx_tasks_user_id_created_at` - Composite index for dashboard query pattern
            // with "(user_id, created_at DESC) for dashboard queries" from "Composite Indexes".
            new DocumentedIndex(TASKS, "idx_tasks_user_id_created_at", "Composite index for dashboard query pattern",
                    "CREATE INDEX idx_tasks_user_id_created_at ON tasks (user_id, created_at DESC)"),
            // - `idx_conversations_user_id` - Fast user conversation listing
            new DocumentedIndex(CONVERSATIONS, "idx_conversations_user_id", "Fast user conversation listing",
                    "CREATE INDEX idx_conversations_user_id ON conversations (user_id)"),
            // - `idx_conversations_user_id_updated_at` - Composite index for recent conversations first
            // The name gives the columns; "recent ... first" is read as updated_at descending.
            new DocumentedIndex(CONVERSATIONS, "idx_conversations_user_id_updated_at",
                    "Composite index for recent conversations first",
                    "CREATE INDEX idx_conversations_user_id_updated_at ON conversations (user_id, updated_at DESC)"),
            // - `idx_messages_conversation_id` - Fast conversation thread retrieval
            new DocumentedIndex(MESSAGES, "idx_messages_conversation_id", "Fast conversation thread retrieval",
                    "CREATE INDEX idx_messages_conversation_id ON messages (conversation_id)"),
            // - `idx_messages_user_id` - User-scoped audit trail queries
            new DocumentedIndex(MESSAGES, "idx_messages_user_id", "User-scoped audit trail queries",
                    "CREATE INDEX idx_messages_user_id ON messages (user_id)"),
            // - `idx_messages_conversation_id_created_at` - Composite for chronological ordering
            // with "(conversation_id, created_at ASC) for thread retrieval" from "Composite Indexes".
            new DocumentedIndex(MESSAGES, "idx_messages_conversation_id_created_at",
                    "Composite for chronological ordering",
                    "CREATE INDEX idx_messages_conversation_id_created_at ON messages (conversation_id, created_at ASC)"));

    private static final Pattern BULLET = Pattern.compile("- `(\\w+)` - (.+)");

    private static TestDatabase database;
    private static MigrateResult migration;
    private static Snapshot seed;
    private static Snapshot migrated;

    @BeforeAll
    static void buildBothSchemas() throws SQLException {
        database = TestDatabase.create("migrations_todo_conformance");
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + REFERENCE);
            statement.execute("SET search_path TO " + REFERENCE);
            for (Block block : SeedDocument.load(SEED_FILE).sqlBlocks()) {
                try {
                    statement.execute(block.body());
                    for (DocumentedIndex index : INDEXES) {
                        if (index.section().equals(block.heading())) {
                            statement.execute(index.definition());
                        }
                    }
                } catch (SQLException e) {
                    throw new SQLException("seed " + SEED_FILE + " " + block + " failed: " + e.getMessage(), e);
                }
            }
        }
        migration = todo(database).migrate();
        try (Connection connection = connect(database)) {
            seed = SchemaCatalog.snapshot(connection, REFERENCE);
            migrated = SchemaCatalog.snapshot(connection, SCHEMA);
        }
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void theSeedGivesOneCreateTablePerMigrationSection() {
        List<Block> sql = SeedDocument.load(SEED_FILE).sqlBlocks();

        assertThat(sql).extracting(Block::heading).containsExactlyElementsOf(SECTIONS);
        assertThat(sql).allSatisfy(block -> assertThat(SeedDocument.statements(block)).as("%s", block)
                .singleElement().asString().startsWith("CREATE TABLE "));
    }

    /** The indexes written out above are exactly the seed's bullets, in its order, each in its section. */
    @Test
    void theIndexesWrittenOutAreExactlyTheSeedsIndexBullets() {
        List<List<String>> bullets = new ArrayList<>();
        String section = "";
        boolean inIndexes = false;
        for (String line : SeedDocument.load(SEED_FILE).lines()) {
            if (line.startsWith("#")) {
                section = line;
                inIndexes = false;
            } else if (line.equals("**Indexes**:")) {
                inIndexes = true;
            } else if (inIndexes) {
                Matcher bullet = BULLET.matcher(line);
                if (bullet.matches()) {
                    bullets.add(List.of(section, bullet.group(1), bullet.group(2)));
                } else {
                    inIndexes = false;
                }
            }
        }

        assertThat(bullets).containsExactlyElementsOf(INDEXES.stream()
                .map(index -> List.of(index.section(), index.name(), index.bullet())).toList());
        assertThat(INDEXES).allSatisfy(index -> assertThat(index.definition())
                .startsWith("CREATE INDEX " + index.name() + " ON "));
        assertThat(SeedDocument.load(SEED_FILE).lines()).containsSubsequence(COMPOSITE_INDEX_LINES);
    }

    @Test
    void theMigrationRunsOnceIntoItsSchemaWithItsOwnHistory() throws SQLException {
        assertThat(migration.success).isTrue();
        assertThat(migration.migrationsExecuted).isEqualTo(SCRIPTS.size());
        try (Connection connection = connect(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT script FROM " + SCHEMA + "." + SchemaCatalog.HISTORY
                     + " WHERE type = 'SQL' AND success ORDER BY installed_rank")) {
            List<String> scripts = new ArrayList<>();
            while (rs.next()) {
                scripts.add(rs.getString(1));
            }
            assertThat(scripts).containsExactlyElementsOf(SCRIPTS);
        }
        assertThat(todo(database).migrate().migrationsExecuted).isZero();
    }

    /** Guards against an empty comparison: the reference schema holds what the seed's text describes. */
    @Test
    void theReferenceSchemaHoldsWhatTheSeedDescribes() {
        assertThat(seed.of(Category.RELATION)).as(seed.summary())
                .containsKeys("users", "tasks", "conversations", "messages")
                // 4 tables, 8 documented indexes, 4 primary keys, users.email UNIQUE.
                .hasSize(4 + 8 + 4 + 1);
        assertThat(seed.of(Category.INDEX)).as(seed.summary())
                .hasSize(8 + 4 + 1)
                .containsEntry("idx_tasks_user_id_created_at",
                        "CREATE INDEX idx_tasks_user_id_created_at ON tasks USING btree (user_id, created_at DESC)");
        assertThat(seed.of(Category.CONSTRAINT)).as(seed.summary())
                .containsEntry("tasks.fk_tasks_user_id",
                        "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE")
                .containsEntry("messages.fk_messages_conversation_id",
                        "FOREIGN KEY (conversation_id) REFERENCES conversations(id) ON DELETE CASCADE")
                .containsKey("messages.messages_role_check")
                .containsEntry("users.users_email_key", "UNIQUE (email)")
                // 4 primary keys, 1 UNIQUE, 4 foreign keys, 1 CHECK.
                .hasSize(4 + 1 + 4 + 1);
        assertThat(seed.of(Category.COLUMN)).as(seed.summary())
                .containsEntry("tasks.completed", "boolean NOT NULL, DEFAULT false")
                .containsEntry("messages (column order)",
                        "id, conversation_id, user_id, role, content, tool_calls, created_at");
        assertThat(seed.of(Category.TRIGGER)).as(seed.summary()).isEmpty();
        assertThat(seed.of(Category.VIEW)).as(seed.summary()).isEmpty();
        assertThat(seed.of(Category.FUNCTION)).as(seed.summary()).isEmpty();
        assertThat(seed.of(Category.TYPE)).as(seed.summary()).isEmpty();
    }

    @Test
    void theSchemasHoldTheSameRelationsAndTypesNothingMissingNothingAdded() {
        assertSame(Category.RELATION);
        assertSame(Category.TYPE);
    }

    @Test
    void everyColumnHasTheSeedsTypeDefaultAndNullabilityInTheSeedsOrder() {
        assertSame(Category.COLUMN);
    }

    @Test
    void everyConstraintHasTheSeedsNameAndDefinition() {
        assertSame(Category.CONSTRAINT);
    }

    @Test
    void everyIndexHasTheNameAndDefinitionOfItsBullet() {
        assertSame(Category.INDEX);
    }

    @Test
    void thereAreNoTriggersViewsOrFunctionsAsInTheSeed() {
        assertSame(Category.TRIGGER);
        assertSame(Category.VIEW);
        assertSame(Category.FUNCTION);
    }

    private static void assertSame(Category category) {
        assertThat(SchemaCatalog.differences(seed, migrated, category))
                .withFailMessage(() -> "todo differs from seed 003 (" + category + "):\n  "
                        + String.join("\n  ", SchemaCatalog.differences(seed, migrated, category)))
                .isEmpty();
    }

    /**
     * Each change to the migrated schema, made in a transaction that is rolled back, is reported as a difference
     * naming the changed object: the comparison above cannot pass for want of looking.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void theComparisonReportsAChangeToTheMigratedSchema(String reported, String change) throws SQLException {
        try (Connection connection = connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                Snapshot reference = SchemaCatalog.snapshot(connection, REFERENCE);
                // Only a schema that matches the seed can show a change being noticed; one that does not fails the tests above.
                assumeThat(SchemaCatalog.differences(reference, SchemaCatalog.snapshot(connection, SCHEMA)))
                        .as("differences before the change").isEmpty();

                statement.execute("SET LOCAL search_path TO " + SCHEMA);
                statement.execute(change);

                assertThat(SchemaCatalog.differences(reference, SchemaCatalog.snapshot(connection, SCHEMA)))
                        .as("differences after: %s", change)
                        .anySatisfy(difference -> assertThat(difference).startsWith(reported + ":"));
            } finally {
                connection.rollback();
            }
        }
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("column tasks.completed", "ALTER TABLE tasks ALTER COLUMN completed SET DEFAULT TRUE"),
                Arguments.of("column users.created_at",
                        "ALTER TABLE users ALTER COLUMN created_at SET DEFAULT now()"),
                Arguments.of("column conversations.title", "ALTER TABLE conversations ALTER COLUMN title SET NOT NULL"),
                Arguments.of("column messages.tool_calls", "ALTER TABLE messages ALTER COLUMN tool_calls TYPE JSON"),
                Arguments.of("column messages (column order)",
                        "ALTER TABLE messages DROP COLUMN tool_calls; ALTER TABLE messages ADD COLUMN tool_calls JSONB"),
                Arguments.of("constraint messages.messages_role_check",
                        "ALTER TABLE messages DROP CONSTRAINT messages_role_check, ADD CONSTRAINT messages_role_check"
                                + " CHECK (role IN ('user', 'agent', 'system'))"),
                Arguments.of("constraint tasks.fk_tasks_user_id",
                        "ALTER TABLE tasks RENAME CONSTRAINT fk_tasks_user_id TO tasks_user_id_fkey"),
                Arguments.of("constraint conversations.fk_conversations_user_id",
                        "ALTER TABLE conversations DROP CONSTRAINT fk_conversations_user_id, ADD CONSTRAINT"
                                + " fk_conversations_user_id FOREIGN KEY (user_id) REFERENCES users(id)"),
                Arguments.of("index idx_conversations_user_id_updated_at",
                        "DROP INDEX idx_conversations_user_id_updated_at;"
                                + " CREATE INDEX idx_conversations_user_id_updated_at ON conversations (user_id, updated_at)"),
                Arguments.of("index idx_messages_conversation_id_created_at",
                        "DROP INDEX idx_messages_conversation_id_created_at; CREATE INDEX"
                                + " idx_messages_conversation_id_created_at ON messages (conversation_id, created_at DESC)"),
                Arguments.of("index idx_messages_user_id", "DROP INDEX idx_messages_user_id"),
                Arguments.of("relation recent_tasks", "CREATE VIEW recent_tasks AS SELECT id FROM tasks"),
                Arguments.of("function touch() language",
                        "CREATE FUNCTION touch() RETURNS INTEGER LANGUAGE sql AS 'SELECT 1'"));
    }

    private static Flyway todo(TestDatabase db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/" + SCHEMA)
                .load();
    }

    private static Connection connect(TestDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
