package dev.transcript.projection.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Http;
import dev.transcript.projection.support.Published;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row-level security through the chat read API, over real HTTP, with two users A and B who each have
 * conversations, messages and charges, projected by the chat projector: whatever A asks, A's answers hold none of
 * B's rows, and a query that says nothing about users (a hand-written {@code SELECT * FROM chat.messages} through
 * the read API's own pool) returns only the rows of the user the transaction names, and none when it names
 * nobody; while the projector's role sees every row.
 */
@ChatApiOnPostgres
class ChatRowLevelSecurityApiIT {

    @LocalServerPort
    int port;
    @Autowired
    RecordBatches batches;
    @Autowired
    ChatProjector projector;
    @Autowired
    ChatReadDatabase readers;
    @Autowired
    ChatRoles roles;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;

    Http http;
    EventLog log;
    ChatStory a;
    ChatStory b;
    /** B's second conversation, a sandbox session's. */
    Published bSandboxStarted;

    @BeforeEach
    void usersAAndBEachWithConversationsMessagesAndCharges() {
        http = new Http(port);
        log = new EventLog(Instant.parse("2026-05-04T10:00:00Z"));
        a = new ChatStory();
        b = new ChatStory();
        deliver(a.userRegistered(), b.userRegistered());
        deliver(a.chatSessionStarted("A's groceries"), b.chatSessionStarted("B's secret plans"));
        deliver(a.chatMessage(1, MessageRole.USER, "A asks"), a.chatMessage(2, MessageRole.ASSISTANT, "A is answered"),
                b.chatMessage(1, MessageRole.USER, "B secret question"),
                b.chatMessage(2, MessageRole.ASSISTANT, "B secret answer"));
        deliver(a.charge(a.chatMessageId(2), "model-a", 100, 20, new BigDecimal("1.5"), new BigDecimal("2")),
                b.charge(b.chatMessageId(2), "model-b", 700, 900, new BigDecimal("3"), new BigDecimal("4")));
        bSandboxStarted = log.append(b.sandbox.sessionStarted(log.now().plusSeconds(1)));
        batches.apply(projector, EventLog.records(List.of(bSandboxStarted)));
    }

    // --- over HTTP

    @Test
    void each_user_lists_their_own_conversations_only_most_recently_changed_first() {
        Http.Answer asA = get("/api/chat/conversations", a.userId);
        Http.Answer asB = get("/api/chat/conversations", b.userId);

        assertThat(asA.status()).as(asA.text()).isEqualTo(200);
        assertThat(ids(asA.body().path("items"))).containsExactly(a.chatConversationId.toString());
        assertThat(asA.text()).doesNotContain("B's secret plans").doesNotContain(b.userId.toString());
        JsonNode conversation = asA.body().path("items").get(0);
        assertThat(conversation.path("title").asText()).isEqualTo("A's groceries");
        assertThat(conversation.path("status").asText()).isEqualTo("active");
        assertThat(conversation.path("messageCount").asInt()).isEqualTo(2);
        assertThat(conversation.path("context").path("kind").asText()).isEqualTo("chat");
        assertThat(conversation.path("context").path("sessionId").asText()).isEqualTo(a.chatSessionId.toString());
        assertThat(conversation.path("metadata").isObject()).isTrue();
        assertThat(asA.body().path("nextCursor").isNull()).isTrue();

        assertThat(ids(asB.body().path("items")))
                .containsExactly(b.sandbox.conversationId.toString(), b.chatConversationId.toString());
    }

    @Test
    void a_page_of_conversations_continues_where_the_last_ended() {
        Http.Answer first = get("/api/chat/conversations?limit=1", b.userId);
        String cursor = first.body().path("nextCursor").asText();
        Http.Answer second = get("/api/chat/conversations?limit=1&cursor=" + cursor, b.userId);

        assertThat(ids(first.body().path("items"))).containsExactly(b.sandbox.conversationId.toString());
        assertThat(cursor).isNotBlank();
        assertThat(ids(second.body().path("items"))).containsExactly(b.chatConversationId.toString());
        assertThat(second.body().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void a_user_reads_their_conversations_messages_in_order() {
        Http.Answer answer = get("/api/chat/conversations/" + a.chatConversationId + "/messages", a.userId);

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode items = answer.body().path("items");
        assertThat(ids(items)).containsExactly(a.chatMessageId(1).toString(), a.chatMessageId(2).toString());
        assertThat(items.get(0).path("role").asText()).isEqualTo("user");
        assertThat(items.get(0).path("content").asText()).isEqualTo("A asks");
        assertThat(items.get(0).path("model").isNull()).isTrue();
        assertThat(items.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(items.get(1).path("model").asText()).isEqualTo("gpt-x");
        assertThat(items.get(1).path("tokensUsed").asInt()).isEqualTo("A is answered".length());
        assertThat(items.get(1).path("metadata").path("client").asText()).isEqualTo("web");

        Http.Answer first = get("/api/chat/conversations/" + a.chatConversationId + "/messages?limit=1", a.userId);
        Http.Answer second = get("/api/chat/conversations/" + a.chatConversationId + "/messages?limit=1&cursor="
                + first.body().path("nextCursor").asText(), a.userId);
        assertThat(ids(first.body().path("items"))).containsExactly(a.chatMessageId(1).toString());
        assertThat(ids(second.body().path("items"))).containsExactly(a.chatMessageId(2).toString());
    }

    @Test
    void another_users_conversation_is_not_found_exactly_as_one_that_does_not_exist() {
        Http.Answer others = get("/api/chat/conversations/" + b.chatConversationId + "/messages", a.userId);
        Http.Answer missing = get("/api/chat/conversations/" + UUID.randomUUID() + "/messages", a.userId);

        assertThat(others.status()).isEqualTo(404);
        assertThat(others.body().path("title").asText()).isEqualTo("Not found");
        assertThat(others.text()).doesNotContain("B secret");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(others.body().path("title")).isEqualTo(missing.body().path("title"));
    }

    @Test
    void each_user_sums_their_own_charges_only() {
        String day = LocalDate.ofInstant(log.now(), ZoneOffset.UTC).toString();

        Http.Answer asA = get("/api/chat/usage/daily?from=" + day + "&to=" + day, a.userId);
        Http.Answer asB = get("/api/chat/usage/daily?from=" + day + "&to=" + day, b.userId);

        assertThat(asA.status()).as(asA.text()).isEqualTo(200);
        JsonNode aItems = asA.body().path("items");
        assertThat(aItems).hasSize(1);
        assertThat(aItems.get(0).path("model").asText()).isEqualTo("model-a");
        assertThat(aItems.get(0).path("totalTokens").asLong()).isEqualTo(120);
        assertThat(new BigDecimal(aItems.get(0).path("cost").asText())).isEqualByComparingTo("0.00019");
        assertThat(asA.text()).doesNotContain("model-b");
        JsonNode bItems = asB.body().path("items");
        assertThat(bItems).hasSize(1);
        assertThat(bItems.get(0).path("model").asText()).isEqualTo("model-b");
    }

    @Test
    void a_user_with_no_rows_gets_empty_answers_not_someone_elses() {
        UUID nobody = UUID.randomUUID();

        assertThat(get("/api/chat/conversations", nobody).body().path("items")).isEmpty();
        assertThat(get("/api/chat/usage/daily?from=2026-01-01&to=2026-12-31", nobody).body().path("items")).isEmpty();
    }

    @Test
    void a_request_that_names_no_user_or_no_uuid_is_refused_naming_the_header() {
        for (String path : List.of("/api/chat/conversations",
                "/api/chat/conversations/" + a.chatConversationId + "/messages",
                "/api/chat/usage/daily?from=2026-05-04&to=2026-05-04")) {
            Http.Answer missing = http.get(path);
            Http.Answer blank = http.get(path, Map.of("X-Transcript-User-Id", " "));
            Http.Answer invalid = http.get(path, Map.of("X-Transcript-User-Id", "alice"));
            for (Http.Answer answer : List.of(missing, blank, invalid)) {
                assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(400);
                assertThat(answer.body().path("errors").get(0).path("field").asText()).isEqualTo("X-Transcript-User-Id");
                assertThat(answer.text()).doesNotContain("A asks");
            }
        }
    }

    // --- a query that names no user, through the read API's pool

    @Test
    void a_hand_written_select_of_every_message_as_a_returns_as_rows_only() {
        List<Map<String, Object>> messages = readers.asUser(a.userId,
                reader -> reader.getJdbcTemplate().queryForList("SELECT * FROM chat.messages"));
        List<String> owners = readers.asUser(a.userId, reader -> reader.getJdbcTemplate().queryForList(
                "SELECT user_id::text FROM chat.conversations UNION SELECT user_id::text FROM chat.usage_tracking",
                String.class));

        assertThat(messages).extracting(row -> row.get("user_id").toString()).containsOnly(a.userId.toString());
        assertThat(messages).extracting(row -> row.get("id").toString())
                .containsExactlyInAnyOrder(a.chatMessageId(1).toString(), a.chatMessageId(2).toString());
        assertThat(owners).containsExactly(a.userId.toString());
    }

    @Test
    void with_no_user_named_every_chat_table_returns_no_row_and_no_error() {
        get("/api/chat/conversations", a.userId); // the pool's connections have had the setting before

        for (String table : List.of("chat.conversations", "chat.messages", "chat.usage_tracking")) {
            Long rows = readers.asUser(null,
                    reader -> reader.getJdbcTemplate().queryForObject("SELECT count(*) FROM " + table, Long.class));
            assertThat(rows).as(table).isZero();
        }
    }

    @Test
    void the_read_pool_logs_in_as_the_reader_role_no_superuser_and_owner_of_nothing() {
        Map<String, Object> who = readers.asUser(a.userId, reader -> reader.getJdbcTemplate().queryForMap("""
                SELECT current_user::text AS current_user, session_user::text AS session_user, r.rolsuper,
                       r.rolbypassrls, (SELECT count(*) FROM pg_class WHERE relowner = r.oid) AS owned_relations,
                       (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) AS owned_schemas
                FROM pg_roles r WHERE r.rolname = current_user"""));

        assertThat(who).containsEntry("current_user", roles.reader())
                .containsEntry("session_user", roles.reader())
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false)
                .containsEntry("owned_relations", 0L)
                .containsEntry("owned_schemas", 0L);
    }

    @Test
    void the_projectors_role_sees_every_users_rows() {
        List<Map<String, Object>> messages = transactions.execute(status -> {
            jdbc.execute("SET LOCAL ROLE " + roles.writer());
            return jdbc.queryForList("SELECT * FROM chat.messages");
        });

        assertThat(messages.stream().map(row -> row.get("id").toString()).collect(Collectors.toSet()))
                .contains(a.chatMessageId(1).toString(), a.chatMessageId(2).toString(),
                        b.chatMessageId(1).toString(), b.chatMessageId(2).toString());
    }

    // --- helpers

    private Http.Answer get(String path, UUID user) {
        return http.get(path, Map.of("X-Transcript-User-Id", user.toString()));
    }

    /** Applies the events as one poll; none may be parked. */
    private void deliver(TranscriptEvent... events) {
        List<Published> poll = new ArrayList<>();
        for (TranscriptEvent event : events) {
            poll.add(log.append(event));
        }
        batches.apply(projector, EventLog.records(poll));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = 'chat'"
                + " AND aggregate_id = ANY (?::varchar[])", Long.class,
                "{" + String.join(",", poll.stream().map(Published::key).toList()) + "}")).isZero();
    }

    private static List<String> ids(JsonNode items) {
        return StreamSupport.stream(items.spliterator(), false).map(item -> item.path("id").asText()).toList();
    }
}
