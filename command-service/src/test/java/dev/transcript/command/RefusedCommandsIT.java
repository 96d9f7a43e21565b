package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets an RFC 7807 answer with the right status — 400 naming the field, 404, 409 — and
 * appends nothing: neither to the aggregate it names nor anywhere else in the event store.
 */
@LocalInfrastructure
class RefusedCommandsIT {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PASSWORD = "correct horse battery";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    // --- 400: the field is named

    @Test
    void an_invalid_email_is_refused_naming_the_email_field() {
        String email = "not-an-email-" + System.nanoTime();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", PASSWORD, "role", "user")));

        assertInvalidField(answer, "email");
        assertThat(claimsOf(email)).isZero();
    }

    @Test
    void a_password_shorter_than_eight_characters_is_refused_naming_the_password_field() {
        String email = uniqueEmail();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", "short", "role", "user")));

        assertInvalidField(answer, "password");
        assertThat(claimsOf(email)).isZero();
    }

    @Test
    void an_unknown_role_is_refused_naming_the_role_field() {
        String email = uniqueEmail();
        Http.Answer registration = appendingNothing(null,
                () -> http.post("/api/users", json("email", email, "password", PASSWORD, "role", "root")));
        assertInvalidField(registration, "role");
        assertThat(claimsOf(email)).isZero();

        String userId = registerUser();
        Http.Answer roleChange = appendingNothing(userId,
                () -> http.post("/api/users/" + userId + "/role", json("role", "root")));
        assertInvalidField(roleChange, "role");
    }

    @Test
    void a_malformed_json_body_is_refused_as_a_malformed_request() {
        String sessionId = startSession(registerUser());
        Http.Answer registration = appendingNothing(null,
                () -> http.post("/api/users", "{\"email\": \"" + uniqueEmail() + "\", \"password\": "));
        Http.Answer message = appendingNothing(sessionId,
                () -> http.post("/api/sessions/" + sessionId + "/messages", "{role: user, content: 'hi'}"));

        for (Http.Answer answer : List.of(registration, message)) {
            assertProblem(answer, 400);
            assertThat(answer.text("title")).isEqualTo("Malformed request");
            assertThat(answer.text("detail")).contains("JSON");
        }
    }

    @Test
    void a_value_of_the_wrong_type_is_refused_naming_its_field() {
        String userId = registerUser();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", "{\"userId\": \"" + userId + "\", \"ttlSeconds\": \"an hour\"}"));

        assertInvalidField(answer, "ttlSeconds");
    }

    @Test
    void a_session_lifetime_of_zero_seconds_is_refused_naming_ttl_seconds() {
        String userId = registerUser();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", json("userId", userId, "ttlSeconds", 0)));

        assertInvalidField(answer, "ttlSeconds");
        assertThat(sessionsStartedFor(userId)).isZero();
    }

    @Test
    void a_commit_hash_that_is_not_hex_is_refused_naming_commit_hash() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "hello");
        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/checkpoints",
                json("commitHash", "xyz", "messageNumber", 1, "description", "scaffold", "filesChanged", 1)));

        assertInvalidField(answer, "commitHash");
    }

    @Test
    void negative_token_counts_are_refused_naming_the_token_field() {
        String sessionId = startSession(registerUser());
        Http.Answer usage = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/token-usage",
                json("model", "gpt-x", "inputTokens", -1, "outputTokens", 5)));
        Http.Answer message = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", "hello", "tokensUsed", -3)));

        assertInvalidField(usage, "inputTokens");
        assertInvalidField(message, "tokensUsed");
    }

    @Test
    void a_checkpoint_beyond_the_conversation_is_refused_naming_message_number() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "hello");
        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/checkpoints",
                json("commitHash", "a1b2c3d4e5", "messageNumber", 2, "description", "too far", "filesChanged", 1)));

        assertInvalidField(answer, "messageNumber");
    }

    @Test
    void a_charge_for_a_message_of_another_session_is_refused_naming_chat_message_id() {
        String userId = registerUser();
        String ownSession = startSession(userId);
        String otherSession = startSession(userId);
        postMessage(ownSession, "mine");
        String othersMessage = postMessage(otherSession, "theirs");
        Http.Answer answer = appendingNothing(ownSession, () -> http.post("/api/sessions/" + ownSession + "/token-usage",
                json("model", "gpt-x", "inputTokens", 10, "outputTokens", 5, "chatMessageId", othersMessage)));

        assertInvalidField(answer, "chatMessageId");
        assertThat(answer.text("detail")).contains(othersMessage);
    }

    @Test
    void a_path_id_that_is_not_a_uuid_is_refused_naming_the_path_variable() {
        Http.Answer message = appendingNothing(null, () -> http.post("/api/sessions/not-a-uuid/messages",
                json("role", "user", "content", "hello", "tokensUsed", 1)));
        Http.Answer stop = appendingNothing(null, () -> http.post("/api/sessions/12345/stop", "{}"));
        Http.Answer role = appendingNothing(null, () -> http.post("/api/users/nobody/role", json("role", "admin")));
        Http.Answer audit = http.get("/api/audit/sessions/not-a-uuid/events");

        assertInvalidField(message, "sessionId");
        assertInvalidField(stop, "id");
        assertInvalidField(role, "id");
        assertInvalidField(audit, "id");
    }

    // --- 404: the thing named does not exist

    @Test
    void a_message_to_an_unknown_session_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(unknown, () -> http.post("/api/sessions/" + unknown + "/messages",
                json("role", "user", "content", "anyone there?", "tokensUsed", 1)));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(eventsOf(unknown)).isZero();
    }

    @Test
    void a_role_change_of_an_unknown_user_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(unknown,
                () -> http.post("/api/users/" + unknown + "/role", json("role", "admin")));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(eventsOf(unknown)).isZero();
    }

    @Test
    void a_session_for_an_unknown_user_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = appendingNothing(null,
                () -> http.post("/api/sessions", json("userId", unknown, "ttlSeconds", 3600)));

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
        assertThat(sessionsStartedFor(unknown)).isZero();
    }

    @Test
    void the_audit_of_an_unknown_session_is_not_found() {
        String unknown = UUID.randomUUID().toString();
        Http.Answer answer = http.get("/api/audit/sessions/" + unknown + "/events");

        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(unknown);
    }

    // --- 409: the state forbids it

    @Test
    void a_message_to_a_stopped_session_is_a_conflict() {
        String sessionId = startSession(registerUser());
        postMessage(sessionId, "before the end");
        assertThat(http.post("/api/sessions/" + sessionId + "/stop", "{}").status()).isEqualTo(200);

        Http.Answer answer = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", "after the end", "tokensUsed", 1)));

        assertProblem(answer, 409);
        assertThat(answer.text("detail")).contains("stopped");
    }

    @Test
    void registering_a_taken_email_is_a_conflict() {
        String email = uniqueEmail();
        Http.Answer first = http.post("/api/users", json("email", email, "password", PASSWORD, "role", "user"));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);

        Http.Answer again = appendingNothing(null, () -> http.post("/api/users",
                json("email", email.toUpperCase(Locale.ROOT), "password", "another password", "role", "admin")));

        assertProblem(again, 409);
        assertThat(jdbc.queryForList("SELECT user_id::text FROM eventstore.claimed_email WHERE email = ?",
                String.class, email.toLowerCase(Locale.ROOT))).containsExactly(first.text("id"));
        assertThat(eventsOf(first.text("id"))).isEqualTo(1);
    }

    @Test
    void a_container_name_taken_by_another_session_is_a_conflict() {
        String userId = registerUser();
        String holder = startSession(userId);
        String latecomer = startSession(userId);
        String name = "sandbox-" + System.nanoTime();
        Http.Answer first = http.post("/api/sessions/" + holder + "/container", container("c-1-" + name, name));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);

        Http.Answer second = appendingNothing(latecomer,
                () -> http.post("/api/sessions/" + latecomer + "/container", container("c-2-" + name, name)));

        assertProblem(second, 409);
        assertThat(second.text("detail")).contains(name);
        assertThat(jdbc.queryForList(
                "SELECT session_id::text FROM eventstore.claimed_container_name WHERE container_name = ?",
                String.class, name)).containsExactly(holder);
    }

    @Test
    void stopping_a_session_twice_is_a_conflict() {
        String sessionId = startSession(registerUser());
        Http.Answer first = http.post("/api/sessions/" + sessionId + "/stop", "{}");
        assertThat(first.status()).isEqualTo(200);

        Http.Answer second = appendingNothing(sessionId, () -> http.post("/api/sessions/" + sessionId + "/stop", "{}"));

        assertProblem(second, 409);
        assertThat(second.text("detail")).contains("stopped");
        assertThat(eventsOf(sessionId)).isEqualTo(2);
    }

    // --- helpers

    /**
     * Sends the request and checks that it appended nothing: no event of the aggregate (when one is named)
     * and no event at all.
     */
    private Http.Answer appendingNothing(String aggregateId, Supplier<Http.Answer> request) {
        long aggregateBefore = aggregateId == null ? 0 : eventsOf(aggregateId);
        long allBefore = allEvents();
        Http.Answer answer = request.get();
        if (aggregateId != null) {
            assertThat(eventsOf(aggregateId)).as("events of %s after %s", aggregateId, answer.body())
                    .isEqualTo(aggregateBefore);
        }
        assertThat(allEvents()).as("all events after %s", answer.body()).isEqualTo(allBefore);
        return answer;
    }

    private static void assertProblem(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.text("title")).isNotBlank();
        assertThat(answer.text("detail")).isNotBlank();
    }

    private static void assertInvalidField(Http.Answer answer, String field) {
        assertProblem(answer, 400);
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.body().path("errors")) {
            fields.add(error.path("field").asText());
            assertThat(error.path("message").asText()).as("message of " + error).isNotBlank();
        }
        assertThat(fields).as("fields named by %s", answer.body()).containsExactly(field);
    }

    private static String container(String containerId, String containerName) {
        return json("containerId", containerId, "containerName", containerName, "image", "python:3.12",
                "cpuLimit", 1, "memoryLimitMb", 512);
    }

    private static String uniqueEmail() {
        return "refused+" + System.nanoTime() + "@example.com";
    }

    private String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", uniqueEmail(), "password", PASSWORD,
                "role", "user"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        return registered.text("id");
    }

    private String startSession(String userId) {
        Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return started.text("sessionId");
    }

    private String postMessage(String sessionId, String content) {
        Http.Answer posted = http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", content, "tokensUsed", 1));
        assertThat(posted.status()).as(posted.body().toString()).isEqualTo(201);
        return posted.text("messageId");
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }

    private long claimsOf(String email) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.claimed_email WHERE email = lower(?)",
                Long.class, email);
    }

    private long sessionsStartedFor(String userId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM eventstore.domain_event_entry
                WHERE payload_type LIKE '%SessionStarted%'
                  AND convert_from(payload, 'UTF8')::jsonb ->> 'userId' = ?""", Long.class, userId);
    }
}
