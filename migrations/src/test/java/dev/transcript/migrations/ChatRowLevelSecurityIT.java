package dev.transcript.migrations;

import dev.transcript.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static dev.transcript.migrations.ChatMigrations.READER;
import static dev.transcript.migrations.ChatMigrations.WRITER;
import static dev.transcript.migrations.ChatMigrations.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Row-level security at work on the migrated {@code chat} schema. Users A and B each have conversations,
 * messages and charges, inserted by the migrating superuser. The read API's role, connected as itself, sees
 * only the user named by {@code transcript.user_id} (SET LOCAL in its transaction) whatever it writes — a
 * SELECT without WHERE, a join, an aggregate — and nothing at all without the setting; it cannot write, and
 * cannot switch the policies off. The projector's role sees and writes everything.
 */
class ChatRowLevelSecurityIT {

    private static final UUID USER_A = UUID.fromString("0000000a-0000-0000-0000-000000000000");
    private static final UUID USER_B = UUID.fromString("0000000b-0000-0000-0000-000000000000");

    private static final UUID CONVERSATION_A1 = UUID.fromString("0000000a-0000-0000-0000-0000000000c1");
    private static final UUID CONVERSATION_A2 = UUID.fromString("0000000a-0000-0000-0000-0000000000c2");
    private static final UUID CONVERSATION_B1 = UUID.fromString("0000000b-0000-0000-0000-0000000000c1");

    private static final UUID MESSAGE_A1 = UUID.fromString("0000000a-0000-0000-0000-0000000000d1");
    private static final UUID MESSAGE_A2 = UUID.fromString("0000000a-0000-0000-0000-0000000000d2");
    private static final UUID MESSAGE_A3 = UUID.fromString("0000000a-0000-0000-0000-0000000000d3");
    private static final UUID MESSAGE_B1 = UUID.fromString("0000000b-0000-0000-0000-0000000000d1");
    private static final UUID MESSAGE_B2 = UUID.fromString("0000000b-0000-0000-0000-0000000000d2");

    private static final UUID USAGE_A1 = UUID.fromString("0000000a-0000-0000-0000-0000000000e1");
    private static final UUID USAGE_A2 = UUID.fromString("0000000a-0000-0000-0000-0000000000e2");
    private static final UUID USAGE_B1 = UUID.fromString("0000000b-0000-0000-0000-0000000000e1");

    private static final List<UUID> A_MESSAGES = List.of(MESSAGE_A1, MESSAGE_A2, MESSAGE_A3);
    private static final List<UUID> B_MESSAGES = List.of(MESSAGE_B1, MESSAGE_B2);

    private static TestDatabase database;

    @BeforeAll
    static void migrateAndInsertTwoUsersRows() throws SQLException {
        database = TestDatabase.create("migrations_chat_rls");
        ChatMigrations.migrate(database);
        ChatMigrations.execute(database, """
                INSERT INTO auth.users (id, email, created_at, updated_at) VALUES
                    ('%1$s', 'a@example.com', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
                    ('%2$s', 'b@example.com', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
                INSERT INTO chat.conversations (id, user_id, title, status, message_count, created_at, updated_at)
                VALUES
                    ('%3$s', '%1$s', 'A one', 'active', 2, '2025-01-02T00:00:00Z', '2025-01-02T00:00:00Z'),
                    ('%4$s', '%1$s', 'A two', 'closed', 1, '2025-01-03T00:00:00Z', '2025-01-03T00:00:00Z'),
                    ('%5$s', '%2$s', 'B secret', 'active', 2, '2025-01-04T00:00:00Z', '2025-01-04T00:00:00Z');
                INSERT INTO chat.messages (id, conversation_id, user_id, role, content, model, tokens_used, created_at)
                VALUES
                    ('%6$s', '%3$s', '%1$s', 'user', 'A asks', NULL, 0, '2025-01-02T00:00:01Z'),
                    ('%7$s', '%3$s', '%1$s', 'assistant', 'A is answered', 'model-x', 40, '2025-01-02T00:00:02Z'),
                    ('%8$s', '%4$s', '%1$s', 'user', 'A again', NULL, 0, '2025-01-03T00:00:01Z'),
                    ('%9$s', '%5$s', '%2$s', 'user', 'B secret question', NULL, 0, '2025-01-04T00:00:01Z'),
                    ('%10$s', '%5$s', '%2$s', 'assistant', 'B secret answer', 'model-y', 500, '2025-01-04T00:00:02Z');
                INSERT INTO chat.usage_tracking (id, user_id, conversation_id, message_id, model, input_tokens,
                                                 output_tokens, total_tokens, cost, created_at) VALUES
                    ('%11$s', '%1$s', '%3$s', '%7$s', 'model-x', 10, 30, 40, 0.5, '2025-01-02T00:00:02Z'),
                    ('%12$s', '%1$s', '%4$s', NULL, 'model-unpriced', 5, 0, 5, NULL, '2025-01-03T00:00:01Z'),
                    ('%13$s', '%2$s', '%5$s', '%10$s', 'model-y', 100, 400, 500, 7.25, '2025-01-04T00:00:02Z')"""
                .formatted(USER_A, USER_B, CONVERSATION_A1, CONVERSATION_A2, CONVERSATION_B1,
                        MESSAGE_A1, MESSAGE_A2, MESSAGE_A3, MESSAGE_B1, MESSAGE_B2, USAGE_A1, USAGE_A2, USAGE_B1));
    }

    @AfterAll
    static void drop() {
        if (database != null) {
            database.drop();
        }
    }

    // ---- the reader sees its user's rows only

    @Test
    void theReadersConnectionIsTheReaderRoleNotTheSuperuser() throws SQLException {
        try (Connection reader = ChatMigrations.connectAs(database, READER)) {
            assertThat(rows(reader, """
                    SELECT current_user || ' ' || session_user || ' ' || rolsuper || ' ' || rolbypassrls
                    FROM pg_roles WHERE rolname = current_user""", rs -> rs.getString(1)))
                    .containsExactly(READER + " " + READER + " false false");
        }
    }

    @Test
    void aSelectOfEveryMessageWithoutWhereReturnsOnlyTheUsersOwn() throws SQLException {
        assertThat(readerIds(USER_A, "SELECT * FROM chat.messages"))
                .containsExactlyInAnyOrderElementsOf(A_MESSAGES);
    }

    @Test
    void aSelectOfEveryConversationReturnsOnlyTheUsersOwn() throws SQLException {
        assertThat(readerIds(USER_A, "SELECT * FROM chat.conversations"))
                .containsExactlyInAnyOrder(CONVERSATION_A1, CONVERSATION_A2);
    }

    @Test
    void aSelectOfEveryChargeReturnsOnlyTheUsersOwn() throws SQLException {
        assertThat(readerIds(USER_A, "SELECT * FROM chat.usage_tracking"))
                .containsExactlyInAnyOrder(USAGE_A1, USAGE_A2);
    }

    @Test
    void theOtherUserSeesTheirOwnRowsAndNoneOfTheFirsts() throws SQLException {
        assertThat(readerIds(USER_B, "SELECT * FROM chat.messages"))
                .containsExactlyInAnyOrderElementsOf(B_MESSAGES);
        assertThat(readerIds(USER_B, "SELECT * FROM chat.conversations"))
                .containsExactly(CONVERSATION_B1);
        assertThat(readerIds(USER_B, "SELECT * FROM chat.usage_tracking"))
                .containsExactly(USAGE_B1);
    }

    @Test
    void aJoinOfConversationsMessagesAndChargesReturnsOnlyTheUsersOwn() throws SQLException {
        List<String> joined = asReader(USER_A, reader -> rows(reader, """
                SELECT c.user_id || ' ' || m.user_id || ' ' || coalesce(u.user_id::text, '-')
                FROM chat.conversations c
                JOIN chat.messages m ON m.conversation_id = c.id
                LEFT JOIN chat.usage_tracking u ON u.message_id = m.id""", rs -> rs.getString(1)));
        // A join that asks for B's conversation by its id gets A's messages only.
        List<UUID> byIdOnly = readerIds(USER_A, """
                SELECT m.* FROM chat.messages m
                RIGHT JOIN (VALUES ('%s'::uuid), ('%s'::uuid)) AS wanted(conversation_id)
                    ON wanted.conversation_id = m.conversation_id
                WHERE m.id IS NOT NULL""".formatted(CONVERSATION_A1, CONVERSATION_B1));

        assertThat(joined).hasSize(A_MESSAGES.size())
                .allSatisfy(row -> assertThat(row).doesNotContain(USER_B.toString()));
        assertThat(byIdOnly).containsExactlyInAnyOrder(MESSAGE_A1, MESSAGE_A2);
    }

    @Test
    void aggregatesCountAndSumOnlyTheUsersOwnRows() throws SQLException {
        List<String> aggregates = asReader(USER_A, reader -> rows(reader, """
                SELECT (SELECT count(*) FROM chat.messages) || ' ' || (SELECT count(*) FROM chat.conversations)
                       || ' ' || (SELECT count(*) FROM chat.usage_tracking)
                       || ' ' || (SELECT sum(cost) FROM chat.usage_tracking)
                       || ' ' || (SELECT sum(total_tokens) FROM chat.usage_tracking)""", rs -> rs.getString(1)));
        List<String> everything = rows(database, """
                SELECT (SELECT count(*) FROM chat.messages) || ' ' || (SELECT sum(cost) FROM chat.usage_tracking)""",
                rs -> rs.getString(1));

        assertThat(aggregates).containsExactly("3 2 2 0.5000000000 45");
        assertThat(everything).as("B's rows are there to be counted").containsExactly("5 7.7500000000");
    }

    @Test
    void namingTheOtherUsersRowsByIdOrUserReturnsNothing() throws SQLException {
        assertThat(readerIds(USER_A, "SELECT * FROM chat.messages WHERE id = '" + MESSAGE_B1 + "' OR user_id = '"
                + USER_B + "' OR conversation_id = '" + CONVERSATION_B1 + "'")).isEmpty();
        assertThat(readerIds(USER_A, "SELECT * FROM chat.usage_tracking WHERE id = '" + USAGE_B1 + "'")).isEmpty();
    }

    @Test
    void aLeakyFunctionInTheWhereClauseIsNeverShownTheOtherUsersRows() throws SQLException {
        List<String> seen = asReader(USER_A, reader -> {
            try (Statement statement = reader.createStatement()) {
                statement.execute("""
                        CREATE FUNCTION pg_temp.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
                        $$ BEGIN RAISE NOTICE 'saw %', $1; RETURN true; END $$""");
                statement.execute("SELECT id FROM chat.messages WHERE pg_temp.leak(content)");
                List<String> notices = new ArrayList<>();
                for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                    notices.add(w.getMessage());
                }
                return notices;
            }
        });

        assertThat(seen).containsExactlyInAnyOrder("saw A asks", "saw A is answered", "saw A again");
    }

    // ---- without the setting, nothing

    @Test
    void withTheSettingUnsetEveryTableReturnsNoRowAndNoError() throws SQLException {
        for (String table : List.of("chat.messages", "chat.conversations", "chat.usage_tracking")) {
            assertThat(readerIds(null, "SELECT * FROM " + table)).as(table).isEmpty();
        }
        List<String> aggregates = asReader(null, reader -> rows(reader,
                "SELECT count(*), sum(cost) FROM chat.usage_tracking",
                rs -> rs.getLong(1) + " " + rs.getBigDecimal(2)));
        assertThat(aggregates).containsExactly("0 null");
    }

    @Test
    void aSessionThatSetTheUserInAnEarlierTransactionSeesNoRowAndNoErrorInTheNext() throws SQLException {
        try (Connection reader = ChatMigrations.connectAs(database, READER)) {
            reader.setAutoCommit(false);
            setUser(reader, USER_A);
            assertThat(ids(reader, "SELECT * FROM chat.messages")).hasSize(A_MESSAGES.size());
            reader.commit();

            // As a pooled connection would be reused: the setting now reads '' rather than NULL.
            assertThat(rows(reader, "SELECT current_setting('transcript.user_id', true)", rs -> rs.getString(1)))
                    .containsExactly("");
            assertThat(ids(reader, "SELECT * FROM chat.messages")).isEmpty();
            assertThat(ids(reader, "SELECT * FROM chat.conversations")).isEmpty();
            assertThat(ids(reader, "SELECT * FROM chat.usage_tracking")).isEmpty();
            reader.commit();
        }
    }

    @Test
    void aUserIdThatIsNoUuidFailsInsteadOfMatchingAnything() throws SQLException {
        try (Connection reader = ChatMigrations.connectAs(database, READER)) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.execute("SET LOCAL transcript.user_id = 'not-a-uuid'");
                assertThatThrownBy(() -> ids(reader, "SELECT * FROM chat.messages"))
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("22P02"));
            } finally {
                reader.rollback();
            }
        }
    }

    // ---- the reader cannot write, nor escape the policies

    @Test
    void theReaderCannotInsertUpdateDeleteOrTruncate() throws SQLException {
        List<String> attempts = List.of(
                "INSERT INTO chat.conversations (id, user_id, status)"
                        + " VALUES (gen_random_uuid(), '" + USER_A + "', 'active')",
                "INSERT INTO chat.messages (id, conversation_id, user_id, role, content, created_at) VALUES"
                        + " (gen_random_uuid(), '" + CONVERSATION_A1 + "', '" + USER_A + "', 'user', 'x', now())",
                "INSERT INTO chat.usage_tracking (id, user_id, conversation_id, model, input_tokens, output_tokens,"
                        + " total_tokens, created_at) VALUES (gen_random_uuid(), '" + USER_A + "', '"
                        + CONVERSATION_A1 + "', 'm', 0, 0, 0, now())",
                "UPDATE chat.conversations SET title = 'mine now'",
                "UPDATE chat.messages SET content = 'changed'",
                "UPDATE chat.usage_tracking SET cost = 0",
                "DELETE FROM chat.conversations",
                "DELETE FROM chat.messages",
                "DELETE FROM chat.usage_tracking",
                "TRUNCATE chat.messages",
                "INSERT INTO auth.users (id, email, created_at, updated_at)"
                        + " VALUES (gen_random_uuid(), 'x@y', now(), now())");
        for (String attempt : attempts) {
            assertThatThrownBy(() -> asReader(USER_A, reader -> {
                try (Statement statement = reader.createStatement()) {
                    return statement.execute(attempt);
                }
            })).as(attempt).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("permission denied");
            });
        }
        assertThat(rows(database, "SELECT count(*) FROM chat.messages", rs -> rs.getLong(1))).containsExactly(5L);
    }

    @Test
    void theReaderCannotReadAuthUsersNotEvenItsOwnRow() {
        assertThatThrownBy(() -> asReader(USER_A, reader -> rows(reader,
                "SELECT email FROM auth.users WHERE id = '" + USER_A + "'", rs -> rs.getString(1))))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("permission denied for schema auth");
                });
    }

    @Test
    void setRoleAndSetSessionAuthorizationAreRefusedAndRevealNothing() throws SQLException {
        for (String escape : List.of("SET ROLE " + WRITER, "SET ROLE " + database.user(),
                "SET LOCAL ROLE " + WRITER, "SET SESSION AUTHORIZATION " + database.user(),
                "SET SESSION AUTHORIZATION " + WRITER)) {
            assertThatThrownBy(() -> asReader(USER_A, reader -> {
                try (Statement statement = reader.createStatement()) {
                    statement.execute(escape);
                }
                return ids(reader, "SELECT * FROM chat.messages");
            })).as(escape).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("permission denied to set");
            });
        }
        // RESET ROLE and SET ROLE NONE return to the reader itself.
        List<UUID> afterReset = asReader(USER_A, reader -> {
            try (Statement statement = reader.createStatement()) {
                statement.execute("SET ROLE NONE");
                statement.execute("RESET ROLE");
            }
            return ids(reader, "SELECT * FROM chat.messages");
        });
        assertThat(afterReset).containsExactlyInAnyOrderElementsOf(A_MESSAGES);
    }

    @Test
    void switchingRowSecurityOffMakesTheReadersQueriesFailNotShowMore() throws SQLException {
        for (String table : List.of("chat.messages", "chat.conversations", "chat.usage_tracking")) {
            assertThatThrownBy(() -> asReader(USER_A, reader -> {
                try (Statement statement = reader.createStatement()) {
                    statement.execute("SET LOCAL row_security = off");
                }
                return ids(reader, "SELECT * FROM " + table);
            })).as(table).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("42501");
                assertThat(e.getMessage()).contains("query would be affected by row-level security policy");
            });
        }
    }

    @Test
    void neitherRoleCanSwitchThePoliciesOff() throws SQLException {
        for (String role : List.of(READER, WRITER)) {
            for (String change : List.of("ALTER TABLE chat.messages DISABLE ROW LEVEL SECURITY",
                    "ALTER TABLE chat.messages NO FORCE ROW LEVEL SECURITY",
                    "DROP POLICY reader_own_rows ON chat.messages",
                    "CREATE POLICY everything ON chat.messages FOR SELECT USING (true)")) {
                try (Connection connection = ChatMigrations.connectAs(database, role);
                     Statement statement = connection.createStatement()) {
                    assertThatThrownBy(() -> statement.execute(change))
                            .as(role + ": " + change)
                            .isInstanceOfSatisfying(SQLException.class, e -> {
                                assertThat(e.getSQLState()).isEqualTo("42501");
                                assertThat(e.getMessage()).contains("must be owner");
                            });
                }
            }
        }
    }

    // ---- the test is not vacuous

    @Test
    void withoutThePoliciesTheReadersSelectWouldSeeTheOtherUsersRows() throws SQLException {
        try (Connection superuser = ChatMigrations.connect(database)) {
            superuser.setAutoCommit(false);
            try (Statement statement = superuser.createStatement()) {
                // The same route with the policies on: the reader, the setting, A's rows only.
                statement.execute("SET LOCAL ROLE " + READER);
                setUser(superuser, USER_A);
                assertThat(ids(superuser, "SELECT * FROM chat.messages"))
                        .containsExactlyInAnyOrderElementsOf(A_MESSAGES);
                superuser.rollback();

                // Switched off in a transaction that is rolled back: the reader's SELECT privilege alone shows B too.
                for (String table : List.of("chat.messages", "chat.conversations", "chat.usage_tracking")) {
                    statement.execute("ALTER TABLE " + table + " DISABLE ROW LEVEL SECURITY");
                }
                statement.execute("SET LOCAL ROLE " + READER);
                setUser(superuser, USER_A);
                assertThat(ids(superuser, "SELECT * FROM chat.messages"))
                        .containsExactlyInAnyOrderElementsOf(concat(A_MESSAGES, B_MESSAGES));
                assertThat(ids(superuser, "SELECT * FROM chat.usage_tracking")).contains(USAGE_B1);
                assertThat(ids(superuser, "SELECT * FROM chat.conversations")).contains(CONVERSATION_B1);
            } finally {
                superuser.rollback();
            }
        }
        assertThat(rows(database, """
                SELECT bool_and(relrowsecurity AND relforcerowsecurity) FROM pg_class
                WHERE oid IN ('chat.messages'::regclass, 'chat.conversations'::regclass,
                              'chat.usage_tracking'::regclass)""",
                rs -> rs.getBoolean(1))).as("back on after the rollback").containsExactly(true);
        assertThat(readerIds(USER_A, "SELECT * FROM chat.messages"))
                .containsExactlyInAnyOrderElementsOf(A_MESSAGES);
    }

    @Test
    void forceBindsAnOrdinaryOwnerThatNoPolicyNamesUntilNoForce() throws SQLException {
        String owner = "chat_test_owner_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        try (Connection superuser = ChatMigrations.connect(database)) {
            superuser.setAutoCommit(false);
            try (Statement statement = superuser.createStatement()) {
                // All rolled back below, the role included: an owner that is no superuser, as in production.
                statement.execute("CREATE ROLE " + owner + " NOLOGIN");
                statement.execute("GRANT USAGE ON SCHEMA chat TO " + owner);
                statement.execute("ALTER TABLE chat.messages OWNER TO " + owner);
                statement.execute("SET LOCAL ROLE " + owner);

                assertThat(ids(superuser, "SELECT * FROM chat.messages")).as("the owner under FORCE").isEmpty();
                statement.execute("SAVEPOINT before_insert");
                assertThatThrownBy(() -> statement.execute("INSERT INTO chat.messages"
                        + " (id, conversation_id, user_id, role, content, created_at) VALUES (gen_random_uuid(), '"
                        + CONVERSATION_A1 + "', '" + USER_A + "', 'user', 'x', now())"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("42501");
                            assertThat(e.getMessage()).contains("new row violates row-level security policy");
                        });
                statement.execute("ROLLBACK TO SAVEPOINT before_insert");
                assertThat(statement.executeUpdate("UPDATE chat.messages SET content = 'x'"))
                        .as("rows an owner's data migration would change under FORCE").isZero();

                statement.execute("RESET ROLE");
                statement.execute("ALTER TABLE chat.messages NO FORCE ROW LEVEL SECURITY");
                statement.execute("SET LOCAL ROLE " + owner);
                assertThat(ids(superuser, "SELECT * FROM chat.messages")).as("the owner without FORCE")
                        .containsExactlyInAnyOrderElementsOf(concat(A_MESSAGES, B_MESSAGES));
            } finally {
                superuser.rollback();
            }
        }
        assertThat(rows(database, "SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'", rs -> rs.getInt(1)))
                .isEmpty();
    }

    // ---- the writer sees and writes everything

    @Test
    void theWriterSeesEveryRowOfBothUsersWithOrWithoutTheSetting() throws SQLException {
        for (UUID user : new UUID[]{null, USER_A}) {
            try (Connection writer = ChatMigrations.connectAs(database, WRITER)) {
                writer.setAutoCommit(false);
                if (user != null) {
                    setUser(writer, user);
                }
                assertThat(ids(writer, "SELECT * FROM chat.messages"))
                        .containsExactlyInAnyOrderElementsOf(concat(A_MESSAGES, B_MESSAGES));
                assertThat(ids(writer, "SELECT * FROM chat.conversations"))
                        .containsExactlyInAnyOrder(CONVERSATION_A1, CONVERSATION_A2, CONVERSATION_B1);
                assertThat(ids(writer, "SELECT * FROM chat.usage_tracking"))
                        .containsExactlyInAnyOrder(USAGE_A1, USAGE_A2, USAGE_B1);
                assertThat(rows(writer, "SELECT count(*) FROM auth.users", rs -> rs.getLong(1))).containsExactly(2L);
                writer.rollback();
            }
        }
    }

    @Test
    void theWriterWritesRowsOfBothUsers() throws SQLException {
        UUID userC = UUID.randomUUID();
        UUID conversationC = UUID.randomUUID();
        try (Connection writer = ChatMigrations.connectAs(database, WRITER)) {
            writer.setAutoCommit(false);
            try (Statement statement = writer.createStatement()) {
                assertThat(statement.executeUpdate("INSERT INTO auth.users (id, email, created_at, updated_at)"
                        + " VALUES ('" + userC + "', 'c@example.com', now(), now())")).isOne();
                assertThat(statement.executeUpdate("INSERT INTO chat.conversations (id, user_id, status) VALUES ('"
                        + conversationC + "', '" + userC + "', 'active')")).isOne();
                assertThat(statement.executeUpdate("INSERT INTO chat.messages (id, conversation_id, user_id, role,"
                        + " content, created_at) VALUES (gen_random_uuid(), '" + CONVERSATION_B1 + "', '" + USER_B
                        + "', 'user', 'B more', now()), (gen_random_uuid(), '" + CONVERSATION_A1 + "', '" + USER_A
                        + "', 'user', 'A more', now())")).isEqualTo(2);
                assertThat(statement.executeUpdate("INSERT INTO chat.usage_tracking (id, user_id, conversation_id,"
                        + " model, input_tokens, output_tokens, total_tokens, created_at) VALUES (gen_random_uuid(), '"
                        + USER_B + "', '" + CONVERSATION_B1 + "', 'm', 1, 1, 2, now())")).isOne();
                // The trigger runs for the writer too: an UPDATE that leaves updated_at gets now().
                assertThat(statement.executeUpdate("UPDATE chat.conversations SET message_count = message_count + 1"
                        + " WHERE id IN ('" + CONVERSATION_A1 + "', '" + CONVERSATION_B1 + "')")).isEqualTo(2);
                assertThat(rows(writer, "SELECT bool_and(updated_at = now()) FROM chat.conversations WHERE id IN ('"
                        + CONVERSATION_A1 + "', '" + CONVERSATION_B1 + "')", rs -> rs.getBoolean(1)))
                        .containsExactly(true);
                assertThat(statement.executeUpdate("UPDATE chat.usage_tracking SET cost = 1 WHERE id IN ('"
                        + USAGE_A2 + "', '" + USAGE_B1 + "')")).isEqualTo(2);
                assertThat(statement.executeUpdate("DELETE FROM chat.messages WHERE id IN ('" + MESSAGE_A3 + "', '"
                        + MESSAGE_B2 + "')")).isEqualTo(2);
                // Cascades: C's conversation goes with C.
                assertThat(statement.executeUpdate("DELETE FROM auth.users WHERE id = '" + userC + "'")).isOne();
                assertThat(rows(writer, "SELECT count(*) FROM chat.conversations WHERE id = '" + conversationC + "'",
                        rs -> rs.getLong(1))).containsExactly(0L);
                assertThat(rows(writer, "SELECT count(*) FROM chat.messages", rs -> rs.getLong(1)))
                        .containsExactly(5L);
            } finally {
                writer.rollback();
            }
        }
    }

    // ---- helpers

    private interface ReaderWork<T> {
        T run(Connection reader) throws SQLException;
    }

    /** Runs {@code work} as the reader role in one transaction (rolled back), with the user set unless null. */
    private static <T> T asReader(UUID user, ReaderWork<T> work) throws SQLException {
        try (Connection reader = ChatMigrations.connectAs(database, READER)) {
            reader.setAutoCommit(false);
            try {
                if (user != null) {
                    setUser(reader, user);
                }
                return work.run(reader);
            } finally {
                reader.rollback();
            }
        }
    }

    private static List<UUID> readerIds(UUID user, String sql) throws SQLException {
        return asReader(user, reader -> ids(reader, sql));
    }

    /** What the read API does at the start of each transaction. */
    private static void setUser(Connection connection, UUID user) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL transcript.user_id = '" + user + "'");
        }
    }

    private static List<UUID> ids(Connection connection, String sql) throws SQLException {
        return rows(connection, sql, rs -> rs.getObject("id", UUID.class));
    }

    private static List<UUID> concat(List<UUID> first, List<UUID> second) {
        List<UUID> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }
}
