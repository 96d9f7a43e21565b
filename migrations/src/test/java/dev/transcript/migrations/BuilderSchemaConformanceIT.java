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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The migrated {@code builder} schema against seed 001's own DDL ({@code seeds/001_3d8a815325f1a0af.txt}, a
 * verbatim copy of the seed). In one fresh database the seed's {@code ```sql} blocks are executed as written,
 * in the seed's order, into a reference schema {@code seed_builder}; Flyway migrates {@code builder} beside it
 * with its own history. The two are then compared through PostgreSQL's catalog ({@link SchemaCatalog}): every
 * relation; every column's type, default and nullability, and the column order; every constraint by name and
 * definition; every index by name and definition; every trigger; every view's definition; the function's
 * language, body and definition; any other type. Nothing may be missing and nothing added but Flyway's history.
 *
 * <p>Two of the seed's sql blocks are not DDL and are not executed: "Initial Migration" (comments and
 * {@code CREATE EXTENSION}s only; {@code gen_random_uuid()} is built in since PostgreSQL 13, and an extension
 * is the database's, not a schema's) and "Sample Data" (it inserts rows).
 */
class BuilderSchemaConformanceIT {

    private static final String SEED_FILE = "001_3d8a815325f1a0af.txt";
    private static final String SCHEMA = "builder";
    private static final String REFERENCE = "seed_builder";

    /** The headings of the sql blocks that are not executed, and why. */
    private static final String INITIAL_MIGRATION = "### Initial Migration";
    private static final String SAMPLE_DATA = "### Sample Data";

    private static final List<String> SCRIPTS = List.of("V1__create_builder.sql");

    private static final List<String> TABLES = List.of(
            "users", "containers", "sessions", "projects", "chat_messages", "file_storage");
    private static final List<String> VIEWS = List.of("active_containers", "user_projects");

    private static TestDatabase database;
    private static MigrateResult migration;
    private static List<Block> executed;
    private static Snapshot seed;
    private static Snapshot migrated;

    @BeforeAll
    static void buildBothSchemas() throws SQLException {
        database = TestDatabase.create("migrations_builder_conformance");
        executed = ddlBlocks(SeedDocument.load(SEED_FILE));
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + REFERENCE);
            statement.execute("SET search_path TO " + REFERENCE);
            for (Block block : executed) {
                try {
                    statement.execute(block.body());
                } catch (SQLException e) {
                    throw new SQLException("seed " + SEED_FILE + " " + block + " failed: " + e.getMessage(), e);
                }
            }
        }
        migration = builder(database).migrate();
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

    /** The seed's sql blocks in order, without the two that are no DDL. */
    private static List<Block> ddlBlocks(SeedDocument document) {
        return document.sqlBlocks().stream()
                .filter(block -> !block.heading().equals(INITIAL_MIGRATION) && !block.heading().equals(SAMPLE_DATA))
                .toList();
    }

    @Test
    void theSeedGivesSixteenDdlBlocksAndTheTwoLeftOutAreAnExtensionAndSampleRows() {
        List<Block> sql = SeedDocument.load(SEED_FILE).sqlBlocks();

        assertThat(sql).as("sql blocks of %s", SEED_FILE).hasSize(18);
        assertThat(executed).as("DDL blocks executed from %s", SEED_FILE).hasSize(16);
        List<String> statements = new ArrayList<>();
        executed.forEach(block -> statements.addAll(SeedDocument.statements(block)));
        assertThat(statements).as("statements executed from %s", SEED_FILE)
                .hasSize(6 + 19 + 1 + 3 + 2)
                .allSatisfy(statement -> assertThat(statement).startsWith("CREATE "));

        List<Block> skipped = sql.stream().filter(block -> !executed.contains(block)).toList();
        assertThat(skipped).extracting(Block::heading).containsExactly(INITIAL_MIGRATION, SAMPLE_DATA);
        assertThat(SeedDocument.statements(skipped.get(0))).as("%s", skipped.get(0))
                .containsExactly("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"",
                        "CREATE EXTENSION IF NOT EXISTS \"pgcrypto\"");
        assertThat(SeedDocument.statements(skipped.get(1))).as("%s", skipped.get(1))
                .hasSize(2)
                .allSatisfy(statement -> assertThat(statement).startsWith("INSERT INTO "));
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
        assertThat(builder(database).migrate().migrationsExecuted).isZero();
    }

    /** Guards against an empty comparison: the reference schema holds what the seed's text describes. */
    @Test
    void theReferenceSchemaHoldsWhatTheSeedDescribes() {
        assertThat(seed.of(Category.RELATION)).as(seed.summary())
                .containsKeys(TABLES.toArray(String[]::new))
                .containsKeys(VIEWS.toArray(String[]::new))
                // 6 tables, 2 views, 19 idx_ indexes, 6 primary keys, users/containers/sessions UNIQUE.
                .hasSize(6 + 2 + 19 + 6 + 3);
        assertThat(seed.of(Category.INDEX)).as(seed.summary()).hasSize(19 + 6 + 3)
                .containsEntry("idx_containers_assigned_port",
                        "CREATE INDEX idx_containers_assigned_port ON containers USING btree (assigned_port)");
        assertThat(seed.of(Category.CONSTRAINT)).as(seed.summary())
                .containsEntry("containers.containers_user_id_fkey",
                        "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE")
                .containsEntry("users.users_email_key", "UNIQUE (email)")
                // 6 primary keys, 3 UNIQUE, 6 foreign keys.
                .hasSize(6 + 3 + 6);
        assertThat(seed.of(Category.COLUMN)).as(seed.summary())
                .containsEntry("containers.status", "character varying(50) NOT NULL, DEFAULT 'created'::character varying")
                .containsEntry("users (column order)",
                        "id, email, name, avatar_url, created_at, updated_at, last_login, is_active");
        assertThat(seed.of(Category.TRIGGER)).as(seed.summary()).hasSize(3);
        assertThat(seed.of(Category.VIEW)).as(seed.summary()).containsOnlyKeys(VIEWS);
        assertThat(seed.of(Category.FUNCTION)).as(seed.summary())
                .containsEntry("update_updated_at_column() language", "plpgsql")
                .containsKey("update_updated_at_column() body");
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
    void everyIndexHasTheSeedsNameAndDefinition() {
        assertSame(Category.INDEX);
    }

    @Test
    void everyTriggerHasTheSeedsNameAndDefinition() {
        assertSame(Category.TRIGGER);
    }

    @Test
    void everyViewHasTheSeedsDefinition() {
        assertSame(Category.VIEW);
    }

    @Test
    void theFunctionHasTheSeedsLanguageAndBody() {
        assertSame(Category.FUNCTION);
    }

    private static void assertSame(Category category) {
        assertThat(SchemaCatalog.differences(seed, migrated, category))
                .withFailMessage(() -> "builder differs from seed 001 (" + category + "):\n  "
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
                Arguments.of("column containers.status",
                        "ALTER TABLE containers ALTER COLUMN status SET DEFAULT 'running'"),
                Arguments.of("column users.is_active", "ALTER TABLE users ALTER COLUMN is_active DROP DEFAULT"),
                Arguments.of("column users.name", "ALTER TABLE users ALTER COLUMN name SET NOT NULL"),
                Arguments.of("column file_storage.mime_type",
                        "ALTER TABLE file_storage ALTER COLUMN mime_type TYPE VARCHAR(50)"),
                Arguments.of("column chat_messages.extra", "ALTER TABLE chat_messages ADD COLUMN extra TEXT"),
                Arguments.of("constraint sessions.sessions_token_key",
                        "ALTER TABLE sessions DROP CONSTRAINT sessions_token_key,"
                                + " ADD CONSTRAINT sessions_token_unique UNIQUE (token)"),
                Arguments.of("constraint projects.projects_user_id_fkey",
                        "ALTER TABLE projects DROP CONSTRAINT projects_user_id_fkey, ADD CONSTRAINT"
                                + " projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL"),
                Arguments.of("index idx_projects_type", "DROP INDEX idx_projects_type"),
                Arguments.of("index idx_containers_status",
                        "DROP INDEX idx_containers_status; CREATE INDEX idx_containers_status ON containers (status DESC)"),
                Arguments.of("relation extra", "CREATE TABLE extra (id INTEGER)"),
                Arguments.of("trigger projects.update_projects_updated_at",
                        "DROP TRIGGER update_projects_updated_at ON projects; CREATE TRIGGER update_projects_updated_at"
                                + " BEFORE INSERT OR UPDATE ON projects"
                                + " FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()"),
                Arguments.of("trigger containers.update_containers_updated_at",
                        "ALTER TABLE containers DISABLE TRIGGER update_containers_updated_at"),
                Arguments.of("view user_projects", """
                        CREATE OR REPLACE VIEW user_projects AS
                        SELECT p.*, c.status as container_status, c.assigned_port, c.url, COUNT(cm.id) as message_count
                        FROM projects p
                        LEFT JOIN containers c ON p.container_id = c.id
                        LEFT JOIN chat_messages cm ON c.id = cm.container_id
                        GROUP BY p.id, c.status, c.assigned_port, c.url
                        ORDER BY p.created_at DESC"""),
                Arguments.of("function update_updated_at_column() body", """
                        CREATE OR REPLACE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $$
                        BEGIN
                            NEW.updated_at = clock_timestamp();
                            RETURN NEW;
                        END;
                        $$ LANGUAGE plpgsql"""));
    }

    private static Flyway builder(TestDatabase db) {
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
