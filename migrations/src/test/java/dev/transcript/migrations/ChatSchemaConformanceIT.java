package dev.transcript.migrations;

import dev.transcript.testing.TestDatabase;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.transcript.migrations.ChatMigrations.READER;
import static dev.transcript.migrations.ChatMigrations.WRITER;
import static dev.transcript.migrations.ChatMigrations.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The migrated {@code auth} and {@code chat} schemas against seed 004 ({@code seeds/004_a2e787d20f7f2bdf.txt},
 * copied verbatim) and against the column choices written at the top of {@code db/chat/V1__create_chat.sql}:
 * columns, constraints, indexes, the trigger, comments, row-level security, policies, privileges and the two
 * roles. The expectations are written out here, not read from the migration. Row-level security at work is
 * {@link ChatRowLevelSecurityIT}.
 */
class ChatSchemaConformanceIT {

    private static final String SEED = "seeds/004_a2e787d20f7f2bdf.txt";
    private static final List<String> CHAT_TABLES = List.of("conversations", "messages", "usage_tracking");

    private record Column(String table, String name, String type, boolean notNull, String defaultValue) {
    }

    private static final Set<Column> CHAT_COLUMNS = Set.of(
            new Column("conversations", "id", "uuid", true, null),
            new Column("conversations", "user_id", "uuid", true, null),
            new Column("conversations", "title", "character varying(255)", false, null),
            new Column("conversations", "status", "character varying(20)", true, null),
            new Column("conversations", "context", "jsonb", true, "'{}'::jsonb"),
            new Column("conversations", "metadata", "jsonb", true, "'{}'::jsonb"),
            new Column("conversations", "message_count", "integer", true, "0"),
            new Column("conversations", "created_at", "timestamp with time zone", true, "now()"),
            new Column("conversations", "updated_at", "timestamp with time zone", true, "now()"),

            new Column("messages", "id", "uuid", true, null),
            new Column("messages", "conversation_id", "uuid", true, null),
            new Column("messages", "user_id", "uuid", true, null),
            new Column("messages", "role", "character varying(20)", true, null),
            new Column("messages", "content", "text", true, null),
            new Column("messages", "model", "character varying(100)", false, null),
            new Column("messages", "tokens_used", "integer", true, "0"),
            new Column("messages", "metadata", "jsonb", true, "'{}'::jsonb"),
            new Column("messages", "created_at", "timestamp with time zone", true, null),

            new Column("usage_tracking", "id", "uuid", true, null),
            new Column("usage_tracking", "user_id", "uuid", true, null),
            new Column("usage_tracking", "conversation_id", "uuid", true, null),
            new Column("usage_tracking", "message_id", "uuid", false, null),
            new Column("usage_tracking", "model", "character varying(255)", true, null),
            new Column("usage_tracking", "input_tokens", "integer", true, null),
            new Column("usage_tracking", "output_tokens", "integer", true, null),
            new Column("usage_tracking", "total_tokens", "integer", true, null),
            new Column("usage_tracking", "cost", "numeric(20,10)", false, null),
            new Column("usage_tracking", "currency", "character(3)", true, "'USD'::bpchar"),
            new Column("usage_tracking", "created_at", "timestamp with time zone", true, null));

    private static final Set<Column> AUTH_COLUMNS = Set.of(
            new Column("users", "id", "uuid", true, null),
            new Column("users", "email", "character varying(255)", true, null),
            new Column("users", "is_active", "boolean", true, "true"),
            new Column("users", "created_at", "timestamp with time zone", true, null),
            new Column("users", "updated_at", "timestamp with time zone", true, null));

    /** Primary keys (p) and unique constraints (u), with their columns in order. */
    private static final Set<List<String>> KEYS = Set.of(
            List.of("auth.users", "p", "pk_users", "id"),
            List.of("auth.users", "u", "uq_users_email", "email"),
            List.of("chat.conversations", "p", "pk_conversations", "id"),
            List.of("chat.conversations", "u", "uq_conversations_id_user_id", "id,user_id"),
            List.of("chat.messages", "p", "pk_messages", "id"),
            List.of("chat.usage_tracking", "p", "pk_usage_tracking", "id"));

    private record ForeignKey(String name, String table, String columns, String referenced, String referencedColumns,
                              String onDelete) {
    }

    private static final Set<ForeignKey> FOREIGN_KEYS = Set.of(
            new ForeignKey("fk_conversations_user_id", "chat.conversations", "user_id", "auth.users", "id", "CASCADE"),
            // (conversation_id, user_id): the denormalised owner cannot differ from the conversation's.
            new ForeignKey("fk_messages_conversation", "chat.messages", "conversation_id,user_id",
                    "chat.conversations", "id,user_id", "CASCADE"),
            new ForeignKey("fk_usage_tracking_user_id", "chat.usage_tracking", "user_id", "auth.users", "id",
                    "RESTRICT"),
            new ForeignKey("fk_usage_tracking_conversation", "chat.usage_tracking", "conversation_id,user_id",
                    "chat.conversations", "id,user_id", "RESTRICT"));

    private static final Set<String> CHECKS = Set.of(
            "conversations.ck_conversations_status", "conversations.ck_conversations_context",
            "conversations.ck_conversations_metadata", "conversations.ck_conversations_message_count",
            "messages.ck_messages_role", "messages.ck_messages_tokens_used", "messages.ck_messages_metadata",
            "usage_tracking.ck_usage_tracking_input_tokens", "usage_tracking.ck_usage_tracking_output_tokens",
            "usage_tracking.ck_usage_tracking_total_tokens", "usage_tracking.ck_usage_tracking_cost",
            "usage_tracking.ck_usage_tracking_currency");

    private static final Set<String> INDEXES = Set.of(
            "CREATE UNIQUE INDEX pk_users ON auth.users USING btree (id)",
            "CREATE UNIQUE INDEX uq_users_email ON auth.users USING btree (email)",
            "CREATE UNIQUE INDEX pk_conversations ON chat.conversations USING btree (id)",
            "CREATE UNIQUE INDEX uq_conversations_id_user_id ON chat.conversations USING btree (id, user_id)",
            // A user's conversations, newest first.
            "CREATE INDEX idx_conversations_user_id_updated_at ON chat.conversations"
                    + " USING btree (user_id, updated_at DESC)",
            "CREATE UNIQUE INDEX pk_messages ON chat.messages USING btree (id)",
            // A conversation's messages in order.
            "CREATE INDEX idx_messages_conversation_id_created_at_id ON chat.messages"
                    + " USING btree (conversation_id, created_at, id)",
            // What the reader's policy selects when a query names no conversation.
            "CREATE INDEX idx_messages_user_id_created_at ON chat.messages USING btree (user_id, created_at)",
            "CREATE UNIQUE INDEX pk_usage_tracking ON chat.usage_tracking USING btree (id)",
            // Usage per user per day, and per model.
            "CREATE INDEX idx_usage_tracking_user_id_created_at ON chat.usage_tracking"
                    + " USING btree (user_id, created_at)",
            "CREATE INDEX idx_usage_tracking_model ON chat.usage_tracking USING btree (model)",
            "CREATE INDEX idx_usage_tracking_conversation_id ON chat.usage_tracking USING btree (conversation_id)");

    /** What the reader's policies compare user_id with, as PostgreSQL 15 prints it. */
    private static final String READER_QUAL =
            "(user_id = (NULLIF(current_setting('transcript.user_id'::text, true), ''::text))::uuid)";

    private static TestDatabase database;
    private static MigrateResult authMigration;
    private static MigrateResult chatMigration;

    @BeforeAll
    static void migrate() {
        database = TestDatabase.create("migrations_chat");
        ChatMigrations.projection(database).migrate(); // chat V2 grants the writer the projection bookkeeping
        authMigration = ChatMigrations.auth(database).migrate();
        chatMigration = ChatMigrations.chat(database).migrate();
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.drop();
        }
    }

    // ---- migrations and histories

    @Test
    void authThenChatMigrateAnEmptyDatabaseEachWithItsOwnHistory() throws SQLException {
        assertThat(authMigration.success).isTrue();
        assertThat(authMigration.migrationsExecuted).isEqualTo(1);
        assertThat(chatMigration.success).isTrue();
        assertThat(chatMigration.migrationsExecuted).isEqualTo(3);
        assertThat(rows(database, "SELECT script FROM auth.flyway_schema_history WHERE type = 'SQL' AND success",
                rs -> rs.getString(1))).containsExactly("V1__create_auth_users.sql");
        assertThat(rows(database, "SELECT script FROM chat.flyway_schema_history WHERE type = 'SQL' AND success"
                + " ORDER BY installed_rank", rs -> rs.getString(1)))
                .containsExactly("V1__create_chat.sql", "V2__grant_writer_the_projection_bookkeeping.sql",
                        "V3__grant_writer_the_dead_letters.sql");
    }

    @Test
    void theDefaultRoleNamesAreThePropertiesFilesAndItSetsNothingElse() {
        assertThat(ChatMigrations.defaultPlaceholders()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "chatReader", "transcript_chat_reader", "chatWriter", "transcript_chat_writer"));
        assertThat(ChatMigrations.DEFAULTS.stringPropertyNames())
                .allMatch(key -> key.startsWith("flyway.placeholders."));
    }

    @Test
    void migratingAgainExecutesNothing() {
        assertThat(ChatMigrations.auth(database).migrate().migrationsExecuted).isZero();
        assertThat(ChatMigrations.chat(database).migrate().migrationsExecuted).isZero();
    }

    @Test
    void aSecondAndAThirdDatabaseOnTheSameServerMigrateWithTheRolesAlreadyThere() throws SQLException {
        // The roles exist already (@BeforeAll), possibly from an earlier run too: creating them is skipped.
        TestDatabase second = TestDatabase.create("migrations_chat_second");
        TestDatabase third = TestDatabase.create("migrations_chat_third");
        try {
            for (TestDatabase db : List.of(second, third)) {
                ChatMigrations.projection(db).migrate();
                ChatMigrations.auth(db).migrate();
                MigrateResult chat = ChatMigrations.chat(db).migrate();

                assertThat(chat.success).isTrue();
                assertThat(chat.migrationsExecuted).isEqualTo(3);
                // The grants are per database: each database has its own.
                assertThat(privileges(db, READER)).containsExactlyInAnyOrder(
                        "chat.conversations:SELECT", "chat.messages:SELECT", "chat.usage_tracking:SELECT");
            }
            assertThat(rows(database, "SELECT rolname FROM pg_roles WHERE rolname IN ('" + READER + "', '" + WRITER
                    + "')", rs -> rs.getString(1))).containsExactlyInAnyOrder(READER, WRITER);
        } finally {
            second.drop();
            third.drop();
        }
    }

    @Test
    void aRoleCreatedMeanwhileByAnotherDatabasesMigrationIsTakenAsItIs() throws Exception {
        String reader = randomRole("reader");
        String writer = randomRole("writer");
        TestDatabase db = TestDatabase.create("migrations_chat_race");
        try (Connection other = ChatMigrations.connect(db)) {
            ChatMigrations.projection(db).migrate();
            ChatMigrations.auth(db).migrate();
            // Another migration, not yet committed, is creating the reader: ours does not see it, tries to create
            // it too, and waits on the role name's unique index until the other commits.
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement()) {
                statement.execute("CREATE ROLE " + reader
                        + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT");
            }
            CompletableFuture<MigrateResult> ours =
                    CompletableFuture.supplyAsync(() -> ChatMigrations.chat(db, reader, writer).migrate());
            awaitLockWait(db, ours);
            other.commit();

            MigrateResult result = ours.get(60, TimeUnit.SECONDS);

            assertThat(result.success).isTrue();
            assertThat(privileges(db, reader)).containsExactlyInAnyOrder(
                    "chat.conversations:SELECT", "chat.messages:SELECT", "chat.usage_tracking:SELECT");
        } finally {
            db.drop();
            dropRoles(reader, writer);
        }
    }

    @Test
    void theMigrationRefusesAReaderThatBypassesRowLevelSecurity() throws SQLException {
        String reader = randomRole("reader");
        String writer = randomRole("writer");
        TestDatabase db = TestDatabase.create("migrations_chat_bypass");
        try {
            ChatMigrations.execute(db, "CREATE ROLE " + reader + " LOGIN BYPASSRLS");
            ChatMigrations.auth(db).migrate();

            assertThatThrownBy(() -> ChatMigrations.chat(db, reader, writer).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("role " + reader + " is a superuser or bypasses row-level security");
            // The migration is one transaction: nothing of it stays, not even the writer it would have created.
            assertThat(tablesIn(db, "chat")).doesNotContainAnyElementsOf(CHAT_TABLES);
            assertThat(rows(db, "SELECT 1 FROM pg_roles WHERE rolname = '" + writer + "'", rs -> rs.getInt(1)))
                    .isEmpty();
        } finally {
            db.drop();
            dropRoles(reader, writer);
        }
    }

    @Test
    void theMigrationRefusesAReaderThatIsAMemberOfAnotherRole() throws SQLException {
        String reader = randomRole("reader");
        String writer = randomRole("writer");
        TestDatabase db = TestDatabase.create("migrations_chat_member");
        try {
            ChatMigrations.execute(db, "CREATE ROLE " + writer + " LOGIN");
            ChatMigrations.execute(db, "CREATE ROLE " + reader + " LOGIN IN ROLE " + writer);
            ChatMigrations.auth(db).migrate();

            assertThatThrownBy(() -> ChatMigrations.chat(db, reader, writer).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("role " + reader + " is a member of another role");
        } finally {
            db.drop();
            dropRoles(reader, writer);
        }
    }

    @Test
    void theMigrationRefusesOneRoleForReaderAndWriter() {
        String both = randomRole("both");
        TestDatabase db = TestDatabase.create("migrations_chat_same");
        try {
            ChatMigrations.auth(db).migrate();

            assertThatThrownBy(() -> ChatMigrations.chat(db, both, both).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("chatReader and chatWriter must be two roles");
        } finally {
            db.drop();
        }
    }

    // ---- tables and columns

    @Test
    void theChatSchemaHoldsExactlyTheSeedsThreeTablesAndFlywaysHistory() throws IOException, SQLException {
        String seed = seed();
        Set<String> documented = new LinkedHashSet<>();
        Matcher table = Pattern.compile("`chat\\.([a-z_]+)`").matcher(seed);
        while (table.find()) {
            documented.add(table.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(CHAT_TABLES);
        assertThat(seed).contains("`auth.users`", "Row Level Security", "Automatic timestamp management");
        assertThat(tablesIn(database, "chat")).containsExactlyInAnyOrder(
                "conversations", "messages", "usage_tracking", "flyway_schema_history");
        assertThat(tablesIn(database, "auth")).containsExactlyInAnyOrder("users", "flyway_schema_history");
        assertThat(rows(database, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind IN ('v', 'm', 'S', 'f', 'p')""",
                rs -> rs.getString(1))).as("no views, sequences or other relations").isEmpty();
    }

    @Test
    void eachChatColumnHasItsChosenTypeNullabilityAndDefault() throws SQLException {
        assertThat(columns("chat")).containsExactlyInAnyOrderElementsOf(CHAT_COLUMNS);
    }

    @Test
    void authUsersHasItsChosenColumns() throws SQLException {
        assertThat(columns("auth")).containsExactlyInAnyOrderElementsOf(AUTH_COLUMNS);
    }

    // ---- constraints

    @Test
    void primaryKeysAndUniqueConstraintsAreExactlyThese() throws SQLException {
        assertThat(rows(database, """
                SELECT n.nspname || '.' || t.relname, c.contype, c.conname,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                        FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.contype IN ('p', 'u')
                  AND t.relname <> 'flyway_schema_history'""",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))))
                .containsExactlyInAnyOrderElementsOf(KEYS);
    }

    @Test
    void theForeignKeysAreExactlyTheseWithTheirDeleteRules() throws SQLException {
        assertThat(rows(database, """
                SELECT c.conname, tn.nspname || '.' || t.relname,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                        FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                       rn.nspname || '.' || r.relname,
                       (SELECT string_agg(a.attname, ',' ORDER BY k.n)
                        FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                        JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                       c.confdeltype
                FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
                WHERE c.contype = 'f' AND (tn.nspname IN ('chat', 'auth') OR rn.nspname IN ('chat', 'auth'))""",
                rs -> new ForeignKey(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), deleteRule(rs.getString(6)))))
                .containsExactlyInAnyOrderElementsOf(FOREIGN_KEYS);
    }

    @Test
    void theCheckConstraintsAreExactlyTheseAndNoneInAuth() throws SQLException {
        assertThat(rows(database, """
                SELECT t.relname || '.' || c.conname FROM pg_constraint c
                JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.contype = 'c'""", rs -> rs.getString(1)))
                .containsExactlyInAnyOrderElementsOf(CHECKS);
    }

    /** Each CHECK refuses what it is there to refuse; the statements run in a transaction that is rolled back. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            ck_conversations_status        | UPDATE chat.conversations SET status = 'archived'
            ck_conversations_context       | UPDATE chat.conversations SET context = '[]'
            ck_conversations_metadata      | UPDATE chat.conversations SET metadata = '"text"'
            ck_conversations_message_count | UPDATE chat.conversations SET message_count = -1
            ck_messages_role               | UPDATE chat.messages SET role = 'agent'
            ck_messages_tokens_used        | UPDATE chat.messages SET tokens_used = -1
            ck_messages_metadata           | UPDATE chat.messages SET metadata = '1'
            ck_usage_tracking_input_tokens | UPDATE chat.usage_tracking SET input_tokens = -1, total_tokens = -1 + 2
            ck_usage_tracking_output_tokens| UPDATE chat.usage_tracking SET output_tokens = -1, total_tokens = 1 - 1
            ck_usage_tracking_total_tokens | UPDATE chat.usage_tracking SET total_tokens = total_tokens + 1
            ck_usage_tracking_cost         | UPDATE chat.usage_tracking SET cost = -0.0000000001
            ck_usage_tracking_currency     | UPDATE chat.usage_tracking SET currency = 'usd'
            """)
    void eachCheckRefusesWhatItMust(String constraint, String violation) throws SQLException {
        try (Connection connection = ChatMigrations.connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                insertOneOfEach(statement);
                statement.execute("SAVEPOINT ok");
                assertThatThrownBy(() -> statement.execute(violation))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("23514");
                            assertThat(e.getMessage()).contains(constraint);
                        });
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void theChecksAcceptTheEdgesARealStreamProduces() throws SQLException {
        try (Connection connection = ChatMigrations.connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                insertOneOfEach(statement);
                // An unknown cost, a free charge, no tokens at all, a closed conversation, a system message.
                statement.execute("UPDATE chat.usage_tracking SET cost = NULL");
                statement.execute("UPDATE chat.usage_tracking SET cost = 0, currency = 'EUR'");
                statement.execute(
                        "UPDATE chat.usage_tracking SET input_tokens = 0, output_tokens = 0, total_tokens = 0");
                statement.execute("UPDATE chat.conversations SET status = 'closed', message_count = 0, title = NULL");
                statement.execute("UPDATE chat.messages SET role = 'system', model = NULL, tokens_used = 0");
                assertThat(rows(connection, "SELECT cost, currency FROM chat.usage_tracking",
                        rs -> rs.getBigDecimal(1).signum() + rs.getString(2))).containsExactly("0EUR");
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void aMessageOrAChargeCannotNameAnotherUserThanItsConversationsOwner() throws SQLException {
        try (Connection connection = ChatMigrations.connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                insertOneOfEach(statement);
                statement.execute("INSERT INTO auth.users (id, email, created_at, updated_at) VALUES "
                        + "('00000000-0000-0000-0000-0000000000b0', 'other@example.com', now(), now())");
                statement.execute("SAVEPOINT ok");
                for (String table : List.of("chat.messages", "chat.usage_tracking")) {
                    assertThatThrownBy(() -> statement.execute(
                            "UPDATE " + table + " SET user_id = '00000000-0000-0000-0000-0000000000b0'"))
                            .as(table)
                            .isInstanceOfSatisfying(SQLException.class,
                                    e -> assertThat(e.getSQLState()).isEqualTo("23503"));
                    statement.execute("ROLLBACK TO SAVEPOINT ok");
                }
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void deletingAUserCascadesToConversationsAndMessagesButChargesKeepThem() throws SQLException {
        try (Connection connection = ChatMigrations.connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                insertOneOfEach(statement);
                statement.execute("SAVEPOINT ok");
                assertThatThrownBy(() -> statement.execute("DELETE FROM auth.users"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("23503");
                            assertThat(e.getMessage()).contains("usage_tracking");
                        });
                statement.execute("ROLLBACK TO SAVEPOINT ok");

                statement.execute("DELETE FROM chat.usage_tracking");
                statement.execute("DELETE FROM auth.users");

                assertThat(rows(connection, "SELECT (SELECT count(*) FROM chat.conversations)"
                        + " + (SELECT count(*) FROM chat.messages)", rs -> rs.getLong(1))).containsExactly(0L);
            } finally {
                connection.rollback();
            }
        }
    }

    // ---- indexes and trigger

    @Test
    void theIndexesAreExactlyThese() throws SQLException {
        assertThat(rows(database, """
                SELECT indexdef FROM pg_indexes
                WHERE schemaname IN ('chat', 'auth') AND tablename <> 'flyway_schema_history'""",
                rs -> rs.getString(1))).containsExactlyInAnyOrderElementsOf(INDEXES);
    }

    @Test
    void theOnlyTriggerKeepsConversationsUpdatedAt() throws SQLException {
        assertThat(rows(database, """
                SELECT pg_get_triggerdef(tg.oid) FROM pg_trigger tg
                JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND NOT tg.tgisinternal""", rs -> rs.getString(1)))
                .containsExactly("CREATE TRIGGER trg_conversations_updated_at BEFORE UPDATE ON chat.conversations"
                        + " FOR EACH ROW EXECUTE FUNCTION chat.set_updated_at()");
        assertThat(rows(database, """
                SELECT p.proname, p.prosecdef FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('chat', 'auth')""", rs -> rs.getString(1) + (rs.getBoolean(2) ? " definer" : "")))
                .as("one function, running as whoever updates")
                .containsExactly("set_updated_at");
    }

    @Test
    void anUpdateThatLeavesUpdatedAtGetsTheTransactionsTimeAndOneThatSetsItKeepsIt() throws SQLException {
        try (Connection connection = ChatMigrations.connect(database)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                insertOneOfEach(statement);
                statement.execute("UPDATE chat.conversations SET updated_at = '2020-01-01T00:00:00Z'");

                statement.execute("UPDATE chat.conversations SET title = 'renamed'");
                assertThat(rows(connection, "SELECT updated_at = now() FROM chat.conversations",
                        rs -> rs.getBoolean(1))).containsExactly(true);

                // The projector sets the time of its event, so a rebuild writes the same time again.
                statement.execute("UPDATE chat.conversations SET message_count = 1,"
                        + " updated_at = '2021-06-01T12:00:00Z'");
                assertThat(rows(connection, "SELECT updated_at FROM chat.conversations",
                        rs -> rs.getTimestamp(1).toInstant())).containsExactly(Instant.parse("2021-06-01T12:00:00Z"));
            } finally {
                connection.rollback();
            }
        }
    }

    // ---- comments

    @Test
    void everyTableAndEveryColumnHasAComment() throws SQLException {
        List<String> uncommented = rows(database, """
                SELECT n.nspname || '.' || c.relname || '.' || a.attname
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'
                  AND coalesce(btrim(col_description(c.oid, a.attnum)), '') = ''
                UNION ALL
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'
                  AND coalesce(btrim(obj_description(c.oid, 'pg_class')), '') = ''
                UNION ALL
                SELECT nspname FROM pg_namespace WHERE nspname IN ('chat', 'auth')
                  AND coalesce(btrim(obj_description(oid, 'pg_namespace')), '') = ''
                UNION ALL
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('chat', 'auth') AND coalesce(btrim(obj_description(p.oid, 'pg_proc')), '') = ''""",
                rs -> rs.getString(1));
        long columns = rows(database, """
                SELECT count(*) FROM information_schema.columns
                WHERE table_schema IN ('chat', 'auth') AND table_name <> 'flyway_schema_history'""",
                rs -> rs.getLong(1)).getFirst();

        assertThat(uncommented).isEmpty();
        assertThat(columns).as("the columns looked at").isEqualTo(CHAT_COLUMNS.size() + AUTH_COLUMNS.size());
    }

    @Test
    void everyTableSaysThatOnlyTheProjectionServiceWritesIt() throws SQLException {
        assertThat(rows(database, """
                SELECT obj_description(c.oid, 'pg_class') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'""",
                rs -> rs.getString(1)))
                .hasSize(4)
                .allSatisfy(comment -> assertThat(comment).contains("projection-service", "nothing else may write it"));
    }

    // ---- row-level security, policies, privileges

    @Test
    void rowLevelSecurityIsEnabledAndForcedOnEveryChatTableAndNotOnAuthUsers() throws SQLException {
        Map<String, String> security = rows(database, """
                SELECT n.nspname || '.' || c.relname, c.relrowsecurity || '/' || c.relforcerowsecurity
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'""",
                rs -> Map.entry(rs.getString(1), rs.getString(2)))
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        assertThat(security).containsExactlyInAnyOrderEntriesOf(Map.of(
                "chat.conversations", "true/true",
                "chat.messages", "true/true",
                "chat.usage_tracking", "true/true",
                // The reader has no privilege on it at all; only the writer reads it.
                "auth.users", "false/false"));
    }

    @Test
    void thePoliciesAreExactlyTheReadersOwnRowsAndTheWritersAllRows() throws SQLException {
        List<List<String>> policies = rows(database, """
                SELECT schemaname || '.' || tablename, policyname, permissive, array_to_string(roles, ','), cmd,
                       coalesce(qual, '-'), coalesce(with_check, '-')
                FROM pg_policies""",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)));

        assertThat(policies).containsExactlyInAnyOrderElementsOf(CHAT_TABLES.stream()
                .flatMap(table -> List.of(
                        List.of("chat." + table, "reader_own_rows", "PERMISSIVE", READER, "SELECT", READER_QUAL, "-"),
                        List.of("chat." + table, "writer_all_rows", "PERMISSIVE", WRITER, "ALL", "true", "true"))
                        .stream())
                .toList());
    }

    @Test
    void theReaderMaySelectTheThreeChatTablesAndNothingElse() throws SQLException {
        assertThat(privileges(database, READER)).containsExactlyInAnyOrder(
                "chat.conversations:SELECT", "chat.messages:SELECT", "chat.usage_tracking:SELECT");
        assertThat(schemaPrivileges(READER)).containsExactly("chat:USAGE");
    }

    @Test
    void theWriterMayReadAndWriteTheChatTablesAndAuthUsersButNotTruncateOrChangeThem() throws SQLException {
        List<String> expected = new ArrayList<>();
        for (String table : List.of("chat.conversations", "chat.messages", "chat.usage_tracking", "auth.users")) {
            for (String privilege : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
                expected.add(table + ":" + privilege);
            }
        }
        assertThat(privileges(database, WRITER)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(schemaPrivileges(WRITER)).containsExactlyInAnyOrder("auth:USAGE", "chat:USAGE");
    }

    @Test
    void theWriterMayKeepTheProjectionBookkeepingButNotItsHistoryAndTheReaderNothingThere() throws SQLException {
        String query = """
                SELECT c.relname || ':' || p.privilege
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'USAGE']) AS p(privilege)
                WHERE n.nspname = 'projection' AND CASE
                    WHEN c.relkind = 'r' AND p.privilege <> 'USAGE' THEN has_table_privilege('%1$s', c.oid, p.privilege)
                    WHEN c.relkind = 'S' AND p.privilege IN ('SELECT', 'USAGE')
                        THEN has_sequence_privilege('%1$s', c.oid, p.privilege)
                    ELSE false END""";
        List<String> expected = new ArrayList<>();
        for (String table : List.of("aggregate_position", "parked_event", "partition_progress", "session_owner",
                "dead_letter")) {
            for (String privilege : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
                expected.add(table + ":" + privilege);
            }
        }
        expected.add("parked_event_id_seq:USAGE");
        expected.add("dead_letter_id_seq:USAGE");

        assertThat(rows(database, query.formatted(WRITER), rs -> rs.getString(1)))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(rows(database, query.formatted(READER), rs -> rs.getString(1))).isEmpty();
        assertThat(rows(database, "SELECT has_schema_privilege('%s', 'projection', 'USAGE')".formatted(READER),
                rs -> rs.getBoolean(1))).containsExactly(false);
    }

    @Test
    void chatNeedsTheProjectionBookkeepingMigratedBeforeIt() {
        TestDatabase db = TestDatabase.create("migrations_chat_no_projection");
        try {
            ChatMigrations.auth(db).migrate();

            assertThatThrownBy(() -> ChatMigrations.chat(db).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("migrate db/projection before db/chat");
        } finally {
            db.drop();
        }
    }

    @Test
    void theMigratingUserOwnsTheSchemasTablesAndFunction() throws SQLException {
        assertThat(rows(database, """
                SELECT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ('chat', 'auth')
                UNION ALL SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname IN ('chat', 'auth')
                UNION ALL SELECT pg_get_userbyid(p.proowner)
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname IN ('chat', 'auth')""", rs -> rs.getString(1)))
                .isNotEmpty()
                .containsOnly(database.user());
    }

    // ---- the roles

    @Test
    void theReaderLogsInAndCanDoNothingElse() throws SQLException {
        assertThat(role(READER)).isEqualTo(Map.of(
                "rolsuper", false, "rolbypassrls", false, "rolcreatedb", false, "rolcreaterole", false,
                "rolreplication", false, "rolcanlogin", true, "rolinherit", false));
        assertThat(memberships(READER)).as("roles the reader is a member of").isEmpty();
    }

    @Test
    void theWriterLogsInAndIsBoundByRowLevelSecurityToo() throws SQLException {
        assertThat(role(WRITER)).isEqualTo(Map.of(
                "rolsuper", false, "rolbypassrls", false, "rolcreatedb", false, "rolcreaterole", false,
                "rolreplication", false, "rolcanlogin", true, "rolinherit", true));
    }

    @Test
    void neitherRoleOwnsAnythingInTheDatabase() throws SQLException {
        for (String role : List.of(READER, WRITER)) {
            assertThat(rows(database, """
                    SELECT 'class ' || relname FROM pg_class WHERE relowner = '%1$s'::regrole
                    UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspowner = '%1$s'::regrole
                    UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE proowner = '%1$s'::regrole
                    UNION ALL SELECT 'type ' || typname FROM pg_type WHERE typowner = '%1$s'::regrole
                    UNION ALL SELECT 'database ' || datname FROM pg_database WHERE datdba = '%1$s'::regrole
                    UNION ALL SELECT 'dependency ' || classid::regclass || ' ' || objid FROM pg_shdepend
                    WHERE refclassid = 'pg_authid'::regclass AND refobjid = '%1$s'::regrole AND deptype = 'o'
                      AND dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))"""
                    .formatted(role), rs -> rs.getString(1)))
                    .as("objects %s owns", role)
                    .isEmpty();
        }
    }

    // ---- helpers

    /** One user, a conversation of theirs, a message in it and a charge for it; as the migrating user. */
    private static void insertOneOfEach(Statement statement) throws SQLException {
        statement.execute("""
                INSERT INTO auth.users (id, email, created_at, updated_at)
                VALUES ('00000000-0000-0000-0000-0000000000a0', 'a@example.com', now(), now());
                INSERT INTO chat.conversations (id, user_id, title, status)
                VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000a0', 't', 'active');
                INSERT INTO chat.messages (id, conversation_id, user_id, role, content, model, tokens_used, created_at)
                VALUES ('00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000c1',
                        '00000000-0000-0000-0000-0000000000a0', 'assistant', 'hi', 'm', 3, now());
                INSERT INTO chat.usage_tracking (id, user_id, conversation_id, message_id, model, input_tokens,
                                                 output_tokens, total_tokens, cost, created_at)
                VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a0',
                        '00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1', 'm',
                        1, 2, 3, 0.25, now())""");
    }

    private static Set<Column> columns(String schema) throws SQLException {
        return Set.copyOf(rows(database, """
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid)
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE n.nspname = '%s' AND c.relkind = 'r' AND c.relname <> 'flyway_schema_history'
                  AND a.attnum > 0 AND NOT a.attisdropped""".formatted(schema),
                rs -> new Column(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        rs.getString(5))));
    }

    private static List<String> tablesIn(TestDatabase db, String schema) throws SQLException {
        return rows(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema + "'",
                rs -> rs.getString(1));
    }

    /** Every privilege {@code role} holds, directly or through PUBLIC, on a relation in chat or auth. */
    static List<String> privileges(TestDatabase db, String role) throws SQLException {
        return rows(db, """
                SELECT n.nspname || '.' || c.relname || ':' || p.privilege
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES',
                                        'TRIGGER']) AS p(privilege)
                WHERE n.nspname IN ('chat', 'auth') AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')
                  AND has_table_privilege('%s', c.oid, p.privilege)""".formatted(role), rs -> rs.getString(1));
    }

    /** USAGE and CREATE on chat and auth, and CREATE on any schema (public's USAGE is PUBLIC's, not ours). */
    private static List<String> schemaPrivileges(String role) throws SQLException {
        return rows(database, """
                SELECT nspname || ':' || p.privilege FROM pg_namespace
                CROSS JOIN unnest(ARRAY['USAGE', 'CREATE']) AS p(privilege)
                WHERE (nspname IN ('chat', 'auth') OR p.privilege = 'CREATE')
                  AND has_schema_privilege('%s', oid, p.privilege)"""
                .formatted(role), rs -> rs.getString(1));
    }

    private static Map<String, Boolean> role(String name) throws SQLException {
        try (Connection connection = ChatMigrations.connect(database);
             PreparedStatement query = connection.prepareStatement("""
                     SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolreplication, rolcanlogin, rolinherit
                     FROM pg_roles WHERE rolname = ?""")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("role %s exists", name).isTrue();
                return Map.of("rolsuper", rs.getBoolean(1), "rolbypassrls", rs.getBoolean(2),
                        "rolcreatedb", rs.getBoolean(3), "rolcreaterole", rs.getBoolean(4),
                        "rolreplication", rs.getBoolean(5), "rolcanlogin", rs.getBoolean(6),
                        "rolinherit", rs.getBoolean(7));
            }
        }
    }

    private static List<String> memberships(String role) throws SQLException {
        return rows(database, """
                SELECT pg_get_userbyid(m.roleid) FROM pg_auth_members m WHERE m.member = '%s'::regrole"""
                .formatted(role), rs -> rs.getString(1));
    }

    private static String seed() throws IOException {
        try (InputStream in = ChatSchemaConformanceIT.class.getClassLoader().getResourceAsStream(SEED)) {
            assertThat(in).as(SEED + " on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String randomRole(String kind) {
        return "chat_test_" + kind + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /**
     * Drops roles this test made up, from the class's database (DROP ROLE works from any). Their own databases
     * must be dropped first: the grants there depend on them.
     */
    private static void dropRoles(String... roles) throws SQLException {
        for (String role : roles) {
            ChatMigrations.execute(database, "DROP ROLE IF EXISTS " + role);
        }
    }

    /** Waits until a session of {@code db} waits for a lock, failing if {@code migration} ends first. */
    private static void awaitLockWait(TestDatabase db, CompletableFuture<?> migration) throws SQLException,
            InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (migration.isDone()) {
                fail("the migration ended without waiting for the other's role: " + migration.join());
            }
            List<Long> waiting = rows(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'", rs -> rs.getLong(1));
            if (waiting.getFirst() > 0) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the migration never waited for the other's role");
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
}
