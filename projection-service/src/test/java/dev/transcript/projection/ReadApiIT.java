package dev.transcript.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read API over real HTTP and a real PostgreSQL, the gateway tables seeded with plain SQL (the projector
 * has tests of its own). Its tests share one application context and so one database: every test makes
 * rows of its own (fresh ids, its own time ranges) and looks only at those, or compares with SQL over all.
 */
@LocalInfrastructure
// A broker of its own: the status test counts on a partition nobody else writes to, and the classes that share the
// plain context produce keyed records to every partition.
@TestPropertySource(properties = "transcript.test.context=read-api")
class ReadApiIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PASSWORD_HASH = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    static final ObjectMapper JSON = new ObjectMapper();
    /** The token-usage window of the summary test; no other test has usage in it. */
    static final Instant FROM = Instant.parse("2031-03-01T00:00:00Z");
    static final Instant TO = Instant.parse("2031-03-02T00:00:00Z");
    /** The partition the status test produces to, and one nothing is produced to. */
    static final int PROBED = 4;
    static final int UNTOUCHED = 5;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EmbeddedKafkaBroker kafka;
    @Autowired
    GatewayProjector gateway;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Value("${transcript.kafka.topic}")
    String topic;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    // --- GET /api/users/{id}

    @Test
    void a_user_is_answered_with_id_email_role_and_creation_time_and_never_its_password_hash() {
        Instant createdAt = Instant.parse("2030-01-02T03:04:05.123456Z");
        UUID id = user(createdAt);

        Answer answer = get("/api/users/" + id);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(fieldNames(answer.body())).containsExactlyInAnyOrder("id", "email", "role", "createdAt");
        assertThat(answer.text("id")).isEqualTo(id.toString());
        assertThat(answer.text("email")).isEqualTo(emailOf(id));
        assertThat(answer.text("role")).isEqualTo("user");
        assertThat(answer.text("createdAt")).isEqualTo("2030-01-02T03:04:05.123456Z");
        assertThat(answer.raw()).doesNotContain(PASSWORD_HASH).doesNotContainIgnoringCase("password");
    }

    @Test
    void an_unknown_user_is_not_found_as_problem_json() {
        assertNotFound(get("/api/users/" + UUID.randomUUID()));
    }

    @Test
    void a_user_id_that_is_not_a_uuid_is_refused_naming_the_id() {
        assertInvalid(get("/api/users/not-a-uuid"), "id");
        assertInvalid(get("/api/users/1-2-3-4-5"), "id");
    }

    // --- GET /api/sessions/{id}

    @Test
    void a_session_is_answered_with_its_container_and_its_conversation_summary() {
        Instant t = Instant.parse("2030-02-01T10:00:00.000001Z");
        UUID userId = user(t);
        UUID sessionId = session(userId, "active", t);
        String containerId = "c0ffee" + UUID.randomUUID().toString().replace("-", "");
        jdbc.update("UPDATE gateway.sessions SET container_id = ?, last_activity_at = ? WHERE id = ?",
                containerId, ts(t.plusSeconds(90)), sessionId);
        jdbc.update("""
                INSERT INTO gateway.containers (id, session_id, container_name, image, status, cpu_limit,
                    memory_limit_mb, created_at, started_at, stopped_at)
                VALUES (?, ?, ?, 'node:22-alpine', 'running', 1.25, 512, ?, ?, NULL)""",
                containerId, sessionId, "sandbox-" + sessionId, ts(t.plusSeconds(1)), ts(t.plusSeconds(2)));
        UUID conversationId = conversation(sessionId, 4, t, t.plusSeconds(90));

        Answer answer = get("/api/sessions/" + sessionId);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("id").asText()).isEqualTo(sessionId.toString());
        assertThat(body.path("userId").asText()).isEqualTo(userId.toString());
        assertThat(body.path("status").asText()).isEqualTo("active");
        assertThat(body.path("containerId").asText()).isEqualTo(containerId);
        assertThat(instant(body, "createdAt")).isEqualTo(t);
        assertThat(instant(body, "expiresAt")).isEqualTo(t.plus(1, ChronoUnit.HOURS));
        assertThat(instant(body, "lastActivityAt")).isEqualTo(t.plusSeconds(90));

        JsonNode container = body.path("container");
        assertThat(container.path("id").asText()).isEqualTo(containerId);
        assertThat(container.path("name").asText()).isEqualTo("sandbox-" + sessionId);
        assertThat(container.path("image").asText()).isEqualTo("node:22-alpine");
        assertThat(container.path("status").asText()).isEqualTo("running");
        assertThat(container.path("cpuLimit").isNumber()).isTrue();
        assertThat(container.path("cpuLimit").decimalValue()).isEqualByComparingTo("1.25");
        assertThat(container.path("memoryLimitMb").asInt()).isEqualTo(512);
        assertThat(instant(container, "createdAt")).isEqualTo(t.plusSeconds(1));
        assertThat(instant(container, "startedAt")).isEqualTo(t.plusSeconds(2));
        assertThat(container.has("stoppedAt")).isTrue();
        assertThat(container.path("stoppedAt").isNull()).isTrue();

        JsonNode conversation = body.path("conversation");
        assertThat(conversation.path("id").asText()).isEqualTo(conversationId.toString());
        assertThat(conversation.path("messagesCount").asInt()).isEqualTo(4);
        assertThat(instant(conversation, "createdAt")).isEqualTo(t);
        assertThat(instant(conversation, "updatedAt")).isEqualTo(t.plusSeconds(90));
    }

    @Test
    void a_session_without_a_container_answers_container_null_and_no_activity_yet() {
        Instant t = Instant.parse("2030-02-02T10:00:00Z");
        UUID sessionId = session(user(t), "pending", t);
        conversation(sessionId, 0, t, t);

        Answer answer = get("/api/sessions/" + sessionId);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().has("container")).isTrue();
        assertThat(answer.body().path("container").isNull()).isTrue();
        assertThat(answer.body().path("containerId").isNull()).isTrue();
        assertThat(answer.body().path("lastActivityAt").isNull()).isTrue();
        assertThat(answer.body().path("conversation").path("messagesCount").asInt()).isZero();
    }

    @Test
    void a_chat_session_never_expires_so_it_answers_expires_at_null_and_no_expiry_query_counts_it() {
        Instant t = Instant.parse("2030-02-03T10:00:00Z");
        UUID userId = user(t);
        UUID sessionId = UUID.randomUUID();
        UUID conversationId = UUID.randomUUID();
        // Written as the gateway projector writes a ChatSessionStarted: its SQL alone, without bookkeeping.
        Published started = new EventLog(t).append(new ChatSessionStarted(sessionId, userId, conversationId, "groceries"));
        Outcome outcome = transactions.execute(status -> gateway.apply(decoder.decode(started.consumerRecord())));
        assertThat(outcome).isEqualTo(Outcome.APPLIED);

        Answer answer = get("/api/sessions/" + sessionId);

        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("status").asText()).isEqualTo("active");
        assertThat(instant(body, "createdAt")).isEqualTo(started.time());
        assertThat(body.has("expiresAt")).isTrue();
        assertThat(body.path("expiresAt").isNull()).as("expiresAt of a session that never expires").isTrue();
        assertThat(body.path("container").isNull()).isTrue();
        assertThat(body.path("conversation").path("id").asText()).isEqualTo(conversationId.toString());
        assertThat(body.path("conversation").path("messagesCount").asInt()).isZero();

        List<JsonNode> listed = walk("/api/sessions?userId=" + userId, 10, new ArrayList<>());
        assertThat(ids(listed)).containsExactly(sessionId.toString());
        assertThat(listed.getFirst().has("expiresAt")).isTrue();
        assertThat(listed.getFirst().path("expiresAt").isNull()).isTrue();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM gateway.sessions WHERE expires_at < now() AND id = ?",
                Integer.class, sessionId)).as("counted as expired by expires_at < now()").isZero();
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM gateway.sessions WHERE expires_at < '9999-12-31T23:59:59Z' AND id = ?""",
                Integer.class, sessionId)).as("counted as expiring however late").isZero();
    }

    @Test
    void an_unknown_session_is_not_found_and_a_malformed_id_is_refused_naming_the_id() {
        assertNotFound(get("/api/sessions/" + UUID.randomUUID()));
        assertInvalid(get("/api/sessions/12345"), "id");
    }

    // --- GET /api/sessions

    @Test
    void a_users_sessions_come_newest_first_across_pages_of_three_three_and_one_without_duplicates_or_gaps() {
        Instant t = Instant.parse("2030-03-01T00:00:00.000001Z");
        UUID userId = user(t);
        List<UUID> newestFirst = new ArrayList<>();
        // Two sessions share a creation time, so the id decides between them (descending).
        UUID a = session(userId, "active", t.plusSeconds(50));
        UUID b = session(userId, "active", t.plusSeconds(50));
        for (int i = 0; i < 5; i++) {
            session(userId, i % 2 == 0 ? "stopped" : "pending", t.plusSeconds(i));
        }
        session(user(t), "active", t.plusSeconds(30)); // someone else's
        // PostgreSQL compares UUIDs byte by byte, unsigned, as their hex text compares (not as UUID.compareTo).
        newestFirst.addAll(a.toString().compareTo(b.toString()) > 0 ? List.of(a, b) : List.of(b, a));
        newestFirst.addAll(jdbc.queryForList("""
                SELECT id FROM gateway.sessions WHERE user_id = ? AND created_at < ?
                ORDER BY created_at DESC""", UUID.class, userId, ts(t.plusSeconds(50))));
        assertThat(newestFirst).hasSize(7);

        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> items = walk("/api/sessions?userId=" + userId, 3, sizes);

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(ids(items)).containsExactlyElementsOf(newestFirst.stream().map(UUID::toString).toList());
        JsonNode first = items.getFirst();
        assertThat(fieldNames(first)).containsExactlyInAnyOrder("id", "userId", "status", "containerId",
                "createdAt", "expiresAt", "lastActivityAt");
        assertThat(first.path("userId").asText()).isEqualTo(userId.toString());
        assertThat(instant(first, "createdAt")).isEqualTo(t.plusSeconds(50));
    }

    @Test
    void the_status_filter_narrows_the_list_alone_and_together_with_the_user() {
        Instant t = Instant.parse("2030-03-02T00:00:00Z");
        UUID userId = user(t);
        UUID expired1 = session(userId, "expired", t.plusSeconds(1));
        session(userId, "active", t.plusSeconds(2));
        UUID expired2 = session(userId, "expired", t.plusSeconds(3));
        UUID othersExpired = session(user(t), "expired", t.plusSeconds(4));

        List<JsonNode> mine = walk("/api/sessions?userId=" + userId + "&status=expired", 1, new ArrayList<>());
        assertThat(ids(mine)).containsExactly(expired2.toString(), expired1.toString());

        List<JsonNode> everyones = walk("/api/sessions?status=EXPIRED", 500, new ArrayList<>());
        assertThat(everyones).allSatisfy(item -> assertThat(item.path("status").asText()).isEqualTo("expired"));
        assertThat(ids(everyones)).contains(expired1.toString(), expired2.toString(), othersExpired.toString())
                .hasSize(count("SELECT count(*) FROM gateway.sessions WHERE status = 'expired'"));

        assertThat(walk("/api/sessions?userId=" + UUID.randomUUID(), 10, new ArrayList<>())).isEmpty();
    }

    @Test
    void the_unfiltered_list_pages_through_every_session_in_the_order_sql_gives() {
        Instant t = Instant.parse("2030-03-03T00:00:00Z");
        UUID userId = user(t);
        for (int i = 0; i < 4; i++) {
            session(userId, "active", t); // four at the very same time
        }

        List<JsonNode> items = walk("/api/sessions", 4, new ArrayList<>());

        List<String> expected = jdbc.queryForList(
                "SELECT id::text FROM gateway.sessions ORDER BY created_at DESC, id DESC", String.class);
        assertThat(ids(items)).containsExactlyElementsOf(expected).doesNotHaveDuplicates();
    }

    @Test
    void a_cursor_keeps_its_place_when_a_newer_session_arrives_between_pages() {
        Instant t = Instant.parse("2030-03-04T00:00:00Z");
        UUID userId = user(t);
        UUID oldest = session(userId, "active", t);
        UUID middle = session(userId, "active", t.plusSeconds(1));
        UUID newest = session(userId, "active", t.plusSeconds(2));

        Answer first = get("/api/sessions?userId=" + userId + "&limit=2");
        UUID newer = session(userId, "active", t.plusSeconds(3));
        Answer second = get("/api/sessions?userId=" + userId + "&limit=2&cursor=" + first.text("nextCursor"));

        assertThat(ids(items(first))).containsExactly(newest.toString(), middle.toString());
        assertThat(ids(items(second))).containsExactly(oldest.toString());
        assertThat(second.body().path("nextCursor").isNull()).isTrue();
        assertThat(ids(items(get("/api/sessions?userId=" + userId + "&limit=1")))).containsExactly(newer.toString());
    }

    @Test
    void the_limit_is_fifty_unless_given_and_at_most_five_hundred() {
        Instant t = Instant.parse("2030-03-05T00:00:00Z");
        UUID userId = user(t);
        for (int i = 0; i < 51; i++) {
            session(userId, "stopped", t.plusSeconds(i));
        }

        Answer byDefault = get("/api/sessions?userId=" + userId);
        assertThat(items(byDefault)).hasSize(50);
        assertThat(byDefault.body().path("nextCursor").isTextual()).isTrue();
        Answer rest = get("/api/sessions?userId=" + userId + "&cursor=" + byDefault.text("nextCursor"));
        assertThat(items(rest)).hasSize(1);
        assertThat(rest.body().path("nextCursor").isNull()).isTrue();

        Answer atMost = get("/api/sessions?userId=" + userId + "&limit=500");
        assertThat(items(atMost)).hasSize(51);
        assertThat(atMost.body().path("nextCursor").isNull()).isTrue();

        assertInvalid(get("/api/sessions?limit=0"), "limit");
        assertInvalid(get("/api/sessions?limit=501"), "limit");
        assertInvalid(get("/api/sessions?limit=-3"), "limit");
        assertInvalid(get("/api/sessions?limit=ten"), "limit");
        assertInvalid(get("/api/sessions?limit=99999999999"), "limit");
    }

    @Test
    void bad_session_list_parameters_are_refused_naming_the_parameter() {
        assertInvalid(get("/api/sessions?status=running"), "status");
        assertInvalid(get("/api/sessions?userId=nobody"), "userId");
        assertInvalid(get("/api/sessions?cursor=%21%21%21"), "cursor");
        assertInvalid(get("/api/sessions?cursor=" + base64Url("yesterday|someone")), "cursor");
        assertInvalid(get("/api/sessions?cursor=" + base64Url(UUID.randomUUID().toString())), "cursor");
    }

    // --- GET /api/conversations/{id}/messages

    @Test
    void messages_come_oldest_first_in_message_number_order_across_pages_of_three_three_and_one() {
        Instant t = Instant.parse("2030-04-01T00:00:00Z");
        UUID sessionId = session(user(t), "active", t);
        UUID conversationId = conversation(sessionId, 7, t, t);
        UUID otherConversation = conversation(session(user(t), "active", t), 2, t, t);
        Map<Integer, UUID> byNumber = new HashMap<>();
        // Inserted out of order, and with creation times running backwards: only the id gives the order.
        for (int number : List.of(5, 2, 7, 1, 3, 6, 4)) {
            byNumber.put(number, message(conversationId, number, number % 2 == 0 ? "assistant" : "user",
                    "message " + number, number * 10, t.minusSeconds(number)));
        }
        message(otherConversation, 1, "user", "elsewhere", 1, t);
        message(otherConversation, 2, "system", "elsewhere", 1, t);

        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> items = walk("/api/conversations/" + conversationId + "/messages", 3, sizes);

        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(ids(items)).containsExactlyElementsOf(
                List.of(1, 2, 3, 4, 5, 6, 7).stream().map(n -> byNumber.get(n).toString()).toList());
        JsonNode fourth = items.get(3);
        assertThat(fieldNames(fourth)).containsExactlyInAnyOrder("id", "role", "content", "tokensUsed", "createdAt");
        assertThat(fourth.path("role").asText()).isEqualTo("assistant");
        assertThat(fourth.path("content").asText()).isEqualTo("message 4");
        assertThat(fourth.path("tokensUsed").asInt()).isEqualTo(40);
        assertThat(instant(fourth, "createdAt")).isEqualTo(t.minusSeconds(4));
    }

    @Test
    void a_conversation_without_messages_answers_an_empty_last_page() {
        Instant t = Instant.parse("2030-04-02T00:00:00Z");
        UUID conversationId = conversation(session(user(t), "pending", t), 0, t, t);

        Answer answer = get("/api/conversations/" + conversationId + "/messages");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(items(answer)).isEmpty();
        assertThat(answer.body().has("nextCursor")).isTrue();
        assertThat(answer.body().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void an_unknown_conversation_is_not_found_and_bad_parameters_are_refused_naming_them() {
        Instant t = Instant.parse("2030-04-03T00:00:00Z");
        UUID conversationId = conversation(session(user(t), "pending", t), 0, t, t);

        assertNotFound(get("/api/conversations/" + UUID.randomUUID() + "/messages"));
        assertInvalid(get("/api/conversations/abc/messages"), "id");
        assertInvalid(get("/api/conversations/" + conversationId + "/messages?limit=0"), "limit");
        assertInvalid(get("/api/conversations/" + conversationId + "/messages?limit=501"), "limit");
        assertInvalid(get("/api/conversations/" + conversationId + "/messages?limit=x"), "limit");
        assertInvalid(get("/api/conversations/" + conversationId + "/messages?cursor=" + base64Url("17")), "cursor");
    }

    // --- GET /api/sessions/{id}/checkpoints

    @Test
    void checkpoints_come_in_message_number_then_creation_time_then_id_order() {
        Instant t = Instant.parse("2030-05-01T00:00:00Z");
        UUID sessionId = session(user(t), "active", t);
        UUID otherSession = session(user(t), "active", t);
        UUID second = checkpoint(sessionId, "abcdef1", 2, "later of two", 3, t.plusSeconds(5));
        UUID first = checkpoint(sessionId, "abcdef2", 1, null, 0, t.plusSeconds(9));
        UUID secondEarlier = checkpoint(sessionId, "abcdef3", 2, "earlier of two", 1, t.plusSeconds(1));
        UUID tieA = checkpoint(sessionId, "abcdef4", 4, "tie", 1, t.plusSeconds(7));
        UUID tieB = checkpoint(sessionId, "abcdef5", 4, "tie", 1, t.plusSeconds(7));
        UUID third = checkpoint(sessionId, "0123456789abcdef0123456789abcdef01234567", 3, "full hash", 12, t);
        checkpoint(otherSession, "fedcba9", 1, "elsewhere", 1, t);
        List<UUID> ties = jdbc.queryForList("SELECT id FROM gateway.git_checkpoints WHERE id IN (?, ?) ORDER BY id",
                UUID.class, tieA, tieB);

        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> items = walk("/api/sessions/" + sessionId + "/checkpoints", 4, sizes);

        assertThat(sizes).containsExactly(4, 2);
        assertThat(ids(items)).containsExactly(first.toString(), secondEarlier.toString(), second.toString(),
                third.toString(), ties.get(0).toString(), ties.get(1).toString());
        JsonNode full = items.get(3);
        assertThat(fieldNames(full)).containsExactlyInAnyOrder("id", "commitHash", "messageNumber", "description",
                "filesChanged", "createdAt");
        assertThat(full.path("commitHash").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(full.path("messageNumber").asInt()).isEqualTo(3);
        assertThat(full.path("description").asText()).isEqualTo("full hash");
        assertThat(full.path("filesChanged").asInt()).isEqualTo(12);
        assertThat(instant(full, "createdAt")).isEqualTo(t);
        assertThat(items.getFirst().path("description").isNull()).isTrue();
    }

    @Test
    void a_session_without_checkpoints_answers_none_and_an_unknown_session_is_not_found() {
        Instant t = Instant.parse("2030-05-02T00:00:00Z");
        UUID sessionId = session(user(t), "pending", t);

        Answer none = get("/api/sessions/" + sessionId + "/checkpoints");
        assertThat(none.status()).isEqualTo(200);
        assertThat(items(none)).isEmpty();

        assertNotFound(get("/api/sessions/" + UUID.randomUUID() + "/checkpoints"));
        assertInvalid(get("/api/sessions/zzz/checkpoints"), "id");
        assertInvalid(get("/api/sessions/" + sessionId + "/checkpoints?limit=1000"), "limit");
        assertInvalid(get("/api/sessions/" + sessionId + "/checkpoints?cursor=" + base64Url("1|2")), "cursor");
    }

    // --- GET /api/token-usage/summary

    record Usage(String modelA, String modelB, UUID userA, UUID userB, UUID s1, UUID s2, UUID s3) {
    }

    /**
     * User A has sessions 1 and 2, user B session 3. Within [FROM, TO): s1 modelA 10/5 exactly at FROM,
     * s1 modelB 1/2, s2 modelA 100/50, s3 modelA 1000/500. Outside: s3 modelB 7/3 exactly at TO, s1 modelA
     * 9999/1 a microsecond before FROM.
     */
    Usage seed(Instant from, Instant to) {
        String suffix = UUID.randomUUID().toString();
        UUID userA = user(from);
        UUID userB = user(from);
        Usage usage = new Usage("model-a-" + suffix, "model-b-" + suffix, userA, userB,
                session(userA, "active", from), session(userA, "active", from), session(userB, "active", from));
        usage(usage.s1(), usage.modelA(), 10, 5, from);
        usage(usage.s1(), usage.modelB(), 1, 2, from.plus(1, ChronoUnit.HOURS));
        usage(usage.s2(), usage.modelA(), 100, 50, from.plus(2, ChronoUnit.HOURS));
        usage(usage.s3(), usage.modelA(), 1000, 500, from.plus(3, ChronoUnit.HOURS));
        usage(usage.s3(), usage.modelB(), 7, 3, to);
        usage(usage.s1(), usage.modelA(), 9999, 1, from.minus(1, ChronoUnit.MICROS));
        return usage;
    }

    @Test
    void usage_is_summed_per_model_per_session_and_per_user_within_the_time_window() {
        Usage usage = seed(FROM, TO);
        String window = "&from=" + FROM + "&to=" + TO;

        Answer byModel = get("/api/token-usage/summary?groupBy=model" + window);
        assertThat(byModel.status()).isEqualTo(200);
        assertThat(byModel.text("groupBy")).isEqualTo("model");
        assertThat(instant(byModel.body(), "from")).isEqualTo(FROM);
        assertThat(instant(byModel.body(), "to")).isEqualTo(TO);
        assertThat(groups(byModel)).containsExactly(
                List.of(usage.modelA(), 1110L, 555L, 1665L, 3L),
                List.of(usage.modelB(), 1L, 2L, 3L, 1L));
        assertThat(fieldNames(items(byModel).getFirst())).containsExactlyInAnyOrder(
                "key", "inputTokens", "outputTokens", "totalTokens", "count");

        Answer bySession = get("/api/token-usage/summary?groupBy=session" + window);
        assertThat(groups(bySession)).containsExactlyInAnyOrder(
                List.of(usage.s1().toString(), 11L, 7L, 18L, 2L),
                List.of(usage.s2().toString(), 100L, 50L, 150L, 1L),
                List.of(usage.s3().toString(), 1000L, 500L, 1500L, 1L));
        assertThat(keys(bySession)).isSortedAccordingTo(this::uuidOrder);

        Answer byUser = get("/api/token-usage/summary?groupBy=user" + window);
        assertThat(groups(byUser)).containsExactlyInAnyOrder(
                List.of(usage.userA().toString(), 111L, 57L, 168L, 3L),
                List.of(usage.userB().toString(), 1000L, 500L, 1500L, 1L));
    }

    @Test
    void without_a_window_every_row_counts_and_an_open_end_is_allowed() {
        Instant from = Instant.parse("2032-07-01T00:00:00Z");
        Instant to = from.plus(1, ChronoUnit.DAYS);
        Usage usage = seed(from, to);

        Answer everything = get("/api/token-usage/summary?groupBy=model&limit=500");
        assertThat(everything.body().path("from").isNull()).isTrue();
        assertThat(groups(everything)).contains(
                List.of(usage.modelA(), 11109L, 556L, 11665L, 4L),
                List.of(usage.modelB(), 8L, 5L, 13L, 2L));

        Answer fromOnly = get("/api/token-usage/summary?groupBy=user&from=" + to);
        assertThat(groups(fromOnly)).contains(List.of(usage.userB().toString(), 7L, 3L, 10L, 1L))
                .noneMatch(group -> group.getFirst().equals(usage.userA().toString()));

        // An offset is an instant too: 02:00+02:00 is midnight UTC, so the window still starts at `from`.
        assertThat(from).isEqualTo(Instant.parse("2032-07-01T00:00:00Z"));
        Answer withOffset = get("/api/token-usage/summary?groupBy=session&from="
                + encode("2032-07-01T02:00:00+02:00") + "&to=" + to);
        assertThat(groups(withOffset)).contains(List.of(usage.s1().toString(), 11L, 7L, 18L, 2L));
    }

    @Test
    void groups_are_paged_by_key_without_duplicates_or_gaps() {
        Instant from = Instant.parse("2033-01-01T00:00:00Z");
        Instant to = from.plus(1, ChronoUnit.DAYS);
        Usage usage = seed(from, to);

        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> items = walk("/api/token-usage/summary?groupBy=session&from=" + from + "&to=" + to, 2, sizes);

        assertThat(sizes).containsExactly(2, 1);
        assertThat(keys(items)).containsExactlyInAnyOrder(usage.s1().toString(), usage.s2().toString(),
                usage.s3().toString()).isSortedAccordingTo(this::uuidOrder);
    }

    @Test
    void bad_summary_parameters_are_refused_naming_the_parameter() {
        assertInvalid(get("/api/token-usage/summary"), "groupBy");
        assertInvalid(get("/api/token-usage/summary?groupBy=day"), "groupBy");
        assertInvalid(get("/api/token-usage/summary?groupBy=model&from=yesterday"), "from");
        assertInvalid(get("/api/token-usage/summary?groupBy=model&to=2031-13-01T00:00:00Z"), "to");
        assertInvalid(get("/api/token-usage/summary?groupBy=model&from=" + TO + "&to=" + FROM), "to");
        assertInvalid(get("/api/token-usage/summary?groupBy=user&cursor=" + base64Url("not-a-user")), "cursor");
        assertInvalid(get("/api/token-usage/summary?groupBy=user&limit=0"), "limit");
    }

    int uuidOrder(String a, String b) {
        // PostgreSQL orders UUIDs byte by byte, unsigned: as their hex text compares.
        return a.compareTo(b);
    }

    // --- GET /api/projections/status

    @Test
    void the_status_reports_a_partitions_lag_after_records_reach_the_topic() throws Exception {
        long endBefore = await().atMost(Duration.ofSeconds(30)).until(
                () -> partition(get("/api/projections/status"), "gateway", PROBED), node -> node != null)
                .path("endOffset").asLong();

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, PROBED, "probe-" + i, "not a CloudEvent"))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        Instant lastEventTime = Instant.parse("2030-06-01T12:00:00.5Z");
        jdbc.update("""
                INSERT INTO projection.partition_progress (read_model, topic, partition, next_offset, last_event_time)
                VALUES ('gateway', ?, ?, ?, ?)
                ON CONFLICT (read_model, topic, partition) DO UPDATE
                SET next_offset = EXCLUDED.next_offset, last_event_time = EXCLUDED.last_event_time""",
                topic, PROBED, endBefore + 1, ts(lastEventTime));

        JsonNode probed = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> partition(get("/api/projections/status"), "gateway", PROBED),
                        node -> node != null && node.path("endOffset").asLong() == endBefore + 3);

        assertThat(probed.path("topic").asText()).isEqualTo(topic);
        assertThat(probed.path("appliedOffset").asLong()).isEqualTo(endBefore);
        assertThat(probed.path("lag").asLong()).isEqualTo(2);
        assertThat(instant(probed, "lastEventTime")).isEqualTo(lastEventTime);

        Answer status = get("/api/projections/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text("topic")).isEqualTo(topic);
        assertThat(items(status).stream().filter(item -> item.path("readModel").asText().equals("gateway"))
                .map(item -> item.path("partition").asInt()).toList()).containsExactly(0, 1, 2, 3, 4, 5);
        JsonNode untouched = partition(status, "gateway", UNTOUCHED);
        assertThat(untouched.path("appliedOffset").asLong()).isEqualTo(-1);
        assertThat(untouched.path("endOffset").asLong()).isZero();
        assertThat(untouched.path("lag").asLong()).isZero();
        assertThat(untouched.path("lastEventTime").isNull()).isTrue();
    }

    JsonNode partition(Answer status, String readModel, int partition) {
        return items(status).stream()
                .filter(item -> item.path("readModel").asText().equals(readModel)
                        && item.path("partition").asInt() == partition)
                .findFirst().orElse(null);
    }

    // --- every refusal

    @Test
    void every_refusal_is_problem_json_with_status_title_and_detail() {
        Answer invalid = get("/api/sessions?limit=0");
        assertThat(invalid.contentType()).startsWith(PROBLEM_JSON);
        assertThat(invalid.body().path("status").asInt()).isEqualTo(400);
        assertThat(invalid.text("title")).isNotBlank();
        assertThat(invalid.text("detail")).contains("limit");
        assertThat(invalid.body().path("errors").get(0).path("message").asText()).isNotBlank();

        Answer missing = get("/api/users/" + UUID.randomUUID());
        assertThat(missing.body().path("status").asInt()).isEqualTo(404);
        assertThat(missing.text("detail")).contains("no user");

        Answer noSuchPath = get("/api/nothing-here");
        assertThat(noSuchPath.status()).isEqualTo(404);
        assertThat(noSuchPath.contentType()).startsWith(PROBLEM_JSON);
    }

    @Test
    void a_client_that_accepts_only_json_still_gets_problem_json() {
        Map<String, String> json = Map.of("Accept", "application/json");

        assertInvalid(get("/api/sessions?status=sleeping", json), "status");
        assertNotFound(get("/api/sessions/" + UUID.randomUUID(), json));
        Answer wrongMethod = send(HttpRequest.newBuilder(uri("/api/sessions")).header("Accept", "application/json")
                .DELETE().build());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.contentType()).startsWith(PROBLEM_JSON);
    }

    // --- seeding, with plain SQL

    UUID user(Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO gateway.users (id, email, password_hash, role, created_at)
                VALUES (?, ?, ?, 'user', ?)""", id, emailOf(id), PASSWORD_HASH, ts(createdAt));
        return id;
    }

    static String emailOf(UUID userId) {
        return "user-" + userId + "@example.com";
    }

    UUID session(UUID userId, String status, Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO gateway.sessions (id, status, created_at, expires_at, user_id)
                VALUES (?, ?::gateway.session_status, ?, ?, ?)""",
                id, status, ts(createdAt), ts(createdAt.plus(1, ChronoUnit.HOURS)), userId);
        return id;
    }

    UUID conversation(UUID sessionId, int messagesCount, Instant createdAt, Instant updatedAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO gateway.conversations (id, session_id, messages_count, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?)""", id, sessionId, messagesCount, ts(createdAt), ts(updatedAt));
        return id;
    }

    UUID message(UUID conversationId, int number, String role, String content, int tokensUsed, Instant createdAt) {
        UUID id = messageId(number);
        jdbc.update("""
                INSERT INTO gateway.chat_messages (id, conversation_id, role, content, tokens_used, created_at)
                VALUES (?, ?, ?::gateway.chat_message_role, ?, ?, ?)""",
                id, conversationId, role, content, tokensUsed, ts(createdAt));
        return id;
    }

    /** Shaped like command-service's MessageIds: a UUIDv8 whose first 32 bits are the message number. */
    static UUID messageId(int number) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = ((long) number << 32) | (random.nextLong() & 0xFFFF_0FFFL) | 0x8000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    UUID checkpoint(UUID sessionId, String commitHash, int messageNumber, String description, int filesChanged,
                    Instant createdAt) {
        UUID id = UUID.randomUUID();
        jdbc.update("""
                INSERT INTO gateway.git_checkpoints (id, session_id, commit_hash, message_number, description,
                    files_changed, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
                id, sessionId, commitHash, messageNumber, description, filesChanged, ts(createdAt));
        return id;
    }

    void usage(UUID sessionId, String model, int inputTokens, int outputTokens, Instant createdAt) {
        jdbc.update("""
                INSERT INTO gateway.token_usage (id, session_id, conversation_id, chat_message_id, model,
                    input_tokens, output_tokens, total_tokens, created_at)
                VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)""",
                UUID.randomUUID(), sessionId, UUID.randomUUID(), model, inputTokens, outputTokens,
                inputTokens + outputTokens, ts(createdAt));
    }

    int count(String sql) {
        Integer count = jdbc.queryForObject(sql, Integer.class);
        return count == null ? 0 : count;
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    // --- HTTP

    record Answer(int status, String contentType, String raw, JsonNode body) {
        String text(String field) {
            return body.path(field).asText();
        }
    }

    Answer get(String path) {
        return get(path, Map.of());
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body,
                    body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every item of a paged list, following nextCursor from the first page to the last; notes each page's size. */
    List<JsonNode> walk(String path, int limit, List<Integer> pageSizes) {
        String first = path + (path.contains("?") ? "&" : "?") + "limit=" + limit;
        List<JsonNode> all = new ArrayList<>();
        Answer page = get(first);
        while (true) {
            assertThat(page.status()).as("%s: %s", first, page.raw()).isEqualTo(200);
            List<JsonNode> items = items(page);
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            pageSizes.add(items.size());
            all.addAll(items);
            JsonNode next = page.body().path("nextCursor");
            assertThat(page.body().has("nextCursor")).isTrue();
            if (next.isNull()) {
                return all;
            }
            assertThat(pageSizes.size()).as("pages of " + first).isLessThan(10_000);
            page = get(first + "&cursor=" + encode(next.asText()));
        }
    }

    static List<JsonNode> items(Answer answer) {
        assertThat(answer.body().path("items").isArray()).as(answer.raw()).isTrue();
        return StreamSupport.stream(answer.body().path("items").spliterator(), false).toList();
    }

    static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.path("id").asText()).toList();
    }

    static List<String> keys(Answer answer) {
        return keys(items(answer));
    }

    static List<String> keys(List<JsonNode> items) {
        return items.stream().map(item -> item.path("key").asText()).toList();
    }

    /** Each group as [key, inputTokens, outputTokens, totalTokens, count]. */
    static List<List<Object>> groups(Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return items(answer).stream().map(item -> List.<Object>of(item.path("key").asText(),
                item.path("inputTokens").asLong(), item.path("outputTokens").asLong(),
                item.path("totalTokens").asLong(), item.path("count").asLong())).toList();
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static Instant instant(JsonNode node, String field) {
        assertThat(node.path(field).isTextual()).as("%s is an ISO-8601 string in %s", field, node).isTrue();
        return Instant.parse(node.path(field).asText());
    }

    static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static void assertInvalid(Answer answer, String parameter) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        assertThat(answer.body().path("errors").isArray()).as(answer.raw()).isTrue();
        assertThat(StreamSupport.stream(answer.body().path("errors").spliterator(), false)
                .map(error -> error.path("field").asText()).toList()).as(answer.raw()).containsExactly(parameter);
    }

    static void assertNotFound(Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        assertThat(answer.body().path("status").asInt()).isEqualTo(404);
    }
}
