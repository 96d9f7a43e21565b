package dev.transcript.migrations;

import dev.transcript.migrations.SchemaCatalog.Category;
import dev.transcript.migrations.SchemaCatalog.Snapshot;
import dev.transcript.migrations.SeedDocument.Block;
import dev.transcript.migrations.SeedIndexes.Index;
import dev.transcript.migrations.SeedIndexes.Reading;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The migrated {@code todo} schema against seed 003's own text ({@code seeds/003_9773e78347053d62.txt}, a verbatim
 * copy of the seed). The seed's four {@code ```sql} blocks (one {@code CREATE TABLE} per migration file, with
 * its named foreign keys and the CHECK on {@code messages.role}) are executed as written, in the seed's order,
 * into a reference schema {@code seed_todo}. The seed gives its indexes only in prose, so {@link SeedIndexes}
 * derives them from its text (names and columns from the "Indexes" bullets, sort orders from "Composite Indexes",
 * the one order it says in words from {@link #READINGS}) and each is created on the reference schema after its
 * table. The seed names every index, so the migration uses its names and no mapping is needed.
 * Flyway migrates {@code todo} beside it with its own history, and the two are compared through PostgreSQL's
 * catalog ({@link SchemaCatalog}): relations, columns (type, default, nullability, order), constraints by name
 * and definition, indexes by name and definition, triggers, views, functions and types. Nothing may be missing
 * and nothing added but Flyway's history.
 */
class TodoSchemaConformanceIT {

    private static final String SEED_FILE = "003_9773e78347053d62.txt";
    private static final String SCHEMA = "todo";
    private static final String REFERENCE = "seed_todo";
    /** The reference schema of an edited seed, built in a transaction that is rolled back. */
    private static final String EDITED = "seed_todo_edited";

    private static final List<String> SCRIPTS = List.of("V1__create_todo.sql");

    /** The seed's four sections, one per migration file, each holding one {@code ```sql} block. */
    private static final List<String> SECTIONS = List.of("### 000_create_users_table.sql",
            "### 001_create_tasks_table.sql", "### 002_add_conversations_table.sql", "### 003_add_messages_table.sql");

    /**
     * The sort orders the seed says in words only, not in its "Composite Indexes" list; docs/read-models.md (todo)
     * records each. "Composite index for recent conversations first": a user's conversations, most recently
     * updated first, so {@code updated_at DESC}. Deriving fails if the bullet stops saying so, or if the seed
     * starts giving that column an order itself.
     */
    private static final List<Reading> READINGS = List.of(
            new Reading("idx_conversations_user_id_updated_at", "recent conversations first", "updated_at", "DESC"));

    private static TestDatabase database;
    private static MigrateResult migration;
    private static Snapshot seed;
    private static Snapshot migrated;

    @BeforeAll
    static void buildBothSchemas() throws SQLException {
        database = TestDatabase.create("migrations_todo_conformance");
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            buildReference(statement, REFERENCE, SeedDocument.load(SEED_FILE));
        }
        migration = todo(database).migrate();
        try (Connection connection = connect(database)) {
            seed = SchemaCatalog.snapshot(connection, REFERENCE);
            migrated = SchemaCatalog.snapshot(connection, SCHEMA);
        }
    }

    /** The seed's CREATE TABLE blocks in its order, each followed by the indexes derived for its section. */
    private static void buildReference(Statement statement, String schema, SeedDocument text) throws SQLException {
        List<Index> indexes = SeedIndexes.derive(text, READINGS);
        statement.execute("CREATE SCHEMA " + schema);
        statement.execute("SET search_path TO " + schema);
        for (Block block : text.sqlBlocks()) {
            try {
                statement.execute(block.body());
                for (Index index : indexes) {
                    if (index.section().equals(block.heading())) {
                        statement.execute(index.definition());
                    }
                }
            } catch (SQLException e) {
                throw new SQLException("seed " + SEED_FILE + " " + block + " failed: " + e.getMessage(), e);
            }
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

    /**
     * Guards against a derivation that reads too little: every {@code - `idx_…`} bullet of the seed becomes an
     * index, in its order; single-column ones have no order; each composite list of the seed is, verbatim, the
     * column list of one index, and the reading gives the third composite its order.
     */
    @Test
    void theIndexesAreDerivedFromEveryIndexBulletOfTheSeed() {
        SeedDocument text = SeedDocument.load(SEED_FILE);
        List<Index> indexes = SeedIndexes.derive(text, READINGS);
        List<String> compositeLists = text.lines().stream().filter(line -> line.startsWith("- ("))
                .map(line -> line.substring(2, line.indexOf(')') + 1)).toList();

        assertThat(indexes).extracting(Index::name).containsExactlyElementsOf(text.lines().stream()
                .filter(line -> line.startsWith("- `idx_")).map(line -> line.split("`")[1]).toList());
        assertThat(indexes).filteredOn(index -> index.columns().size() == 1).hasSize(5)
                .allSatisfy(index -> assertThat(index.columns().get(0).order()).isEmpty());
        assertThat(compositeLists).hasSize(2).allSatisfy(list -> assertThat(indexes).extracting(Index::definition)
                .filteredOn(definition -> definition.endsWith(" " + list)).hasSize(1));
        assertThat(indexes).filteredOn(index -> index.columns().size() > 1).hasSize(3)
                .anySatisfy(index -> assertThat(index.definition()).isEqualTo("CREATE INDEX"
                        + " idx_conversations_user_id_updated_at ON conversations (user_id, updated_at DESC)"));
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

    /**
     * The seed's index text and the migration cannot disagree unnoticed: each edit of one seed line is derived and
     * built into a reference schema of its own, in a transaction that is rolled back, and the comparison with the
     * migrated schema reports the index it changed.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("seedEdits")
    void theComparisonReportsASeedWhoseIndexTextDisagrees(String reported, String line, String edited)
            throws SQLException {
        SeedDocument text = edit(line, edited);
        // Only a migration that matches the seed as it is can show an edit being noticed.
        assumeThat(SchemaCatalog.differences(seed, migrated)).as("differences before the edit").isEmpty();
        try (Connection connection = connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                buildReference(statement, EDITED, text);

                assertThat(SchemaCatalog.differences(SchemaCatalog.snapshot(connection, EDITED), migrated))
                        .as("differences with the seed's line edited to: %s", edited)
                        .anySatisfy(difference -> assertThat(difference).startsWith(reported + ":"));
            } finally {
                connection.rollback();
            }
        }
    }

    static Stream<Arguments> seedEdits() {
        return Stream.of(
                Arguments.of("index idx_messages_conversation_id_created_at",
                        "- (conversation_id, created_at ASC) for thread retrieval",
                        "- (conversation_id, created_at DESC) for thread retrieval"),
                Arguments.of("index idx_tasks_user_id_created_at",
                        "- (user_id, created_at DESC) for dashboard queries",
                        "- (user_id, created_at ASC) for dashboard queries"),
                Arguments.of("index idx_messages_role",
                        "- `idx_messages_user_id` - User-scoped audit trail queries",
                        "- `idx_messages_role` - User-scoped audit trail queries"),
                Arguments.of("index idx_users_email", "- `idx_users_email` - Fast email lookups (login queries)", ""));
    }

    /** Index text that cannot be read as before is refused, saying why, rather than read some other way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableEdits")
    void aSeedWhoseIndexTextCannotBeReadIsRefused(String refusal, String line, String edited) {
        SeedDocument text = edit(line, edited);

        assertThatThrownBy(() -> SeedIndexes.derive(text, READINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(refusal);
    }

    static Stream<Arguments> unreadableEdits() {
        return Stream.of(
                Arguments.of("no longer says \"recent conversations first\"",
                        "- `idx_conversations_user_id_updated_at` - Composite index for recent conversations first",
                        "- `idx_conversations_user_id_updated_at` - Composite index for conversation listing"),
                Arguments.of("must name a column the seed gives no order",
                        "- (conversation_id, created_at ASC) for thread retrieval",
                        "- (conversation_id, created_at ASC) for thread retrieval\n"
                                + "- (user_id, updated_at ASC) for the oldest conversations first"),
                Arguments.of("which 0 index bullets have",
                        "- (user_id, created_at DESC) for dashboard queries",
                        "- (user_id, title DESC) for dashboard queries"),
                Arguments.of("spelt one way",
                        "- `idx_tasks_user_id` - Single column, fast user filtering",
                        "- `idx_tasks_owner` - Single column, fast user filtering"),
                Arguments.of("no sort order for composite idx_tasks_user_id_created_at",
                        "- (user_id, created_at DESC) for dashboard queries", ""));
    }

    /** The seed with one whole line, which it must hold exactly once, replaced. */
    private static SeedDocument edit(String line, String edited) {
        SeedDocument text = SeedDocument.load(SEED_FILE);
        assertThat(text.lines()).as("the line to edit").containsOnlyOnce(line);
        return new SeedDocument(SEED_FILE, text.text().replace("\n" + line + "\n", "\n" + edited + "\n"));
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
