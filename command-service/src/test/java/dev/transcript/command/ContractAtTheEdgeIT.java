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
import java.util.Map;
import java.util.function.Supplier;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the event schemas forbid, the edge refuses (issue 12, findings 3 and 6): text no read model can
 * store, names longer than their column, JSON nested deeper than readers can walk, an event larger than
 * a record may be. Each is a 400 problem naming the field, with nothing appended and no idempotency key
 * kept; before, each was accepted and then parked or dead-lettered by the read models, or crashed one.
 */
@LocalInfrastructure
class ContractAtTheEdgeIT {

    private static final String NUL = "\u0000";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void a_nul_in_content_a_title_a_user_agent_or_a_metadata_value_is_refused_naming_the_field() {
        String userId = registerUser();
        String sessionId = startSession(userId);
        String messages = "/api/sessions/" + sessionId + "/messages";

        assertRefused("content", () -> http.post(messages, message("hello" + NUL + "world", Map.of())));
        assertRefused("metadata", () -> http.post(messages, message("hello", Map.of("source", "cli" + NUL))));
        assertRefused("metadata", () -> http.post(messages, message("hello", Map.of("k" + NUL, "v"))));
        assertRefused("title", () -> http.put("/api/sessions/" + sessionId + "/title", json("title", "Plan" + NUL)));
        assertRefused("title", () -> http.post("/api/chat-sessions", json("userId", userId, "title", "a" + NUL)));
        assertRefused("userAgent", () -> http.post("/api/users/" + userId + "/logins", json("token",
                "t".repeat(40), "ttlSeconds", 3600, "ipAddress", "203.0.113.7", "userAgent", "curl/8" + NUL)));
    }

    @Test
    void an_unpaired_surrogate_in_content_is_refused_naming_content() {
        String sessionId = startSession(registerUser());

        assertRefused("content", () -> http.post("/api/sessions/" + sessionId + "/messages",
                "{\"role\":\"user\",\"content\":\"half \\ud83d a smile\",\"tokensUsed\":1}"));
    }

    @Test
    void an_image_name_longer_than_builders_column_is_refused_naming_image() {
        String sessionId = startSession(registerUser());
        String container = "/api/sessions/" + sessionId + "/container";

        for (int length : List.of(256, 500)) {
            assertRefused("image", () -> http.post(container, json("containerId", "c-" + sessionId,
                    "containerName", "n-" + sessionId, "image", "i".repeat(length), "cpuLimit", 1, "memoryLimitMb", 512)));
        }
        expect201(http.post(container, json("containerId", "c-" + sessionId, "containerName", "n-" + sessionId,
                "image", "i".repeat(255), "cpuLimit", 1, "memoryLimitMb", 512)));
    }

    @Test
    void a_file_path_too_long_to_index_is_refused_naming_file_path_even_in_fewer_characters() {
        String sessionId = startSession(registerUser());
        expect201(http.post("/api/sessions/" + sessionId + "/container", json("containerId", "c-" + sessionId,
                "containerName", "n-" + sessionId, "image", "python:3.12", "cpuLimit", 1, "memoryLimitMb", 512)));
        assertThat(http.post("/api/sessions/" + sessionId + "/container/started", "{}").status()).isEqualTo(200);
        String files = "/api/sessions/" + sessionId + "/files";

        assertRefused("filePath", () -> http.post(files, file("/" + "p".repeat(4_095))));
        // 1,000 characters, but 3,000 bytes of UTF-8: more than builder's index on file_path can hold
        assertRefused("filePath", () -> http.post(files, file("/" + "文".repeat(1_000))));
        expect201(http.post(files, file("/" + "文".repeat(682))));
    }

    @Test
    void metadata_nested_past_the_limit_is_refused_naming_metadata_and_at_the_limit_accepted() {
        String sessionId = startSession(registerUser());
        String messages = "/api/sessions/" + sessionId + "/messages";

        assertRefused("metadata", () -> http.post(messages, messageWithRaw("metadata", nested(33))));
        expect201(http.post(messages, messageWithRaw("metadata", nested(32))));
    }

    @Test
    void json_nested_hundreds_deep_is_refused_and_nothing_appended() {
        String sessionId = startSession(registerUser());
        String messages = "/api/sessions/" + sessionId + "/messages";

        // The parser's own limits may refuse these before the contract does: either way a 400, nothing stored.
        assertProblem(refusedAppendingNothing(() -> http.post(messages, messageWithRaw("metadata", nested(998)))), 400);
        assertProblem(refusedAppendingNothing(() -> http.post(messages,
                messageWithRaw("toolCalls", "[" + nested(900) + "]"))), 400);
    }

    @Test
    void a_message_whose_event_is_larger_than_a_record_may_be_is_refused_naming_content() {
        String sessionId = startSession(registerUser());

        // 200,000 characters, within content's length, but 2.4 MB as JSON: Jackson escapes each as a surrogate pair
        assertRefused("content", () -> http.post("/api/sessions/" + sessionId + "/messages",
                message("😀".repeat(200_000), Map.of())));
    }

    @Test
    void a_refused_command_keeps_no_idempotency_key() {
        String sessionId = startSession(registerUser());
        String key = "contract-" + System.nanoTime();

        Http.Answer answer = refusedAppendingNothing(() -> http.post("/api/sessions/" + sessionId + "/messages",
                message("a" + NUL, Map.of()), Map.of("Idempotency-Key", key)));

        assertInvalidField(answer, "content");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventstore.idempotency_key WHERE idempotency_key = ?",
                Long.class, key)).isZero();
        expect201(http.post("/api/sessions/" + sessionId + "/messages", message("a", Map.of()),
                Map.of("Idempotency-Key", key)));
    }

    private void assertRefused(String field, Supplier<Http.Answer> request) {
        assertInvalidField(refusedAppendingNothing(request), field);
    }

    private Http.Answer refusedAppendingNothing(Supplier<Http.Answer> request) {
        long before = allEvents();
        Http.Answer answer = request.get();
        assertThat(allEvents()).as("events after %s", answer.body()).isEqualTo(before);
        return answer;
    }

    private static void assertProblem(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    private static void assertInvalidField(Http.Answer answer, String field) {
        assertProblem(answer, 400);
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.body().path("errors")) {
            fields.add(error.path("field").asText());
        }
        assertThat(fields).as("fields named by %s", answer.body()).containsExactly(field);
    }

    private static void expect201(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
    }

    /** {@code levels} objects inside each other: {"a":{}} is 2 deep. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
    }

    private static String message(String content, Map<String, Object> metadata) {
        return json("role", "user", "content", content, "tokensUsed", 1, "metadata", metadata);
    }

    private static String messageWithRaw(String field, String rawJson) {
        return "{\"role\":\"assistant\",\"content\":\"hi\",\"tokensUsed\":1,\"" + field + "\":" + rawJson + "}";
    }

    private static String file(String path) {
        return json("filePath", path, "fileName", "notes.md", "fileSize", 10, "mimeType", "text/markdown");
    }

    private String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", "contract+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        return registered.text("id");
    }

    private String startSession(String userId) {
        Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return started.text("sessionId");
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }
}
