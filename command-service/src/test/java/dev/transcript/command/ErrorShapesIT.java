package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.EdgeFixtures;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, finding 8: every error is problem+json, Tomcat's own 400s and the unexpected included; a
 * refused value names its field, and the parser refuses what it used to alter (fractions for integers,
 * duplicate keys, unpaired surrogates, numbers out of range). Nothing refused is stored.
 */
@LocalInfrastructure
@Import(EdgeFixtures.class)
class ErrorShapesIT {

    static final String PROBLEM_JSON = "application/problem+json";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Http http;
    String userId;

    @BeforeEach
    void client() {
        http = new Http(port);
        userId = http.post("/api/users", json("email", "edge+" + System.nanoTime() + "@example.com",
                "password", "long enough", "role", "user")).text("id");
    }

    // --- Tomcat's own refusals, read off the wire

    @Test
    void an_encoded_slash_in_an_id_is_a_problem_not_an_html_page() {
        assertTomcatProblem(RawHttp.exchange(port,
                "POST /api/sessions/a%2Fb/stop HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void a_header_of_20_kb_is_a_problem_not_an_html_page() {
        assertTomcatProblem(RawHttp.exchange(port, "GET /api/audit/sessions/x/events HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20 * 1024) + "\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void a_malformed_request_line_is_a_problem_not_an_html_page() {
        assertTomcatProblem(RawHttp.exchange(port, "GET /api/{bad} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400);
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413_whether_its_length_is_declared_or_not() {
        String big = json("userId", userId, "ttlSeconds", 60, "padding", "x".repeat(5 * 1024 * 1024));
        RawHttp.Answer declared = RawHttp.postJson(port, "/api/sessions", big, Map.of());
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.contentType()).startsWith(PROBLEM_JSON);

        String chunked = "POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n";
        RawHttp.Answer streamed = RawHttp.exchange(port, chunked);
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(streamed.contentType()).startsWith(PROBLEM_JSON);
    }

    // --- the unexpected

    @Test
    void an_unexpected_exception_is_a_500_problem_without_internals() {
        for (String path : new String[] {"/test/unexpected", "/test/error"}) {
            RawHttp.Answer answer = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as(path).isEqualTo(500);
            assertThat(answer.contentType()).as(path).startsWith(PROBLEM_JSON);
            assertThat(answer.body()).as(path)
                    .doesNotContain(EdgeFixtures.INTERNALS, "Exception", "Error:", "trace", "dev.transcript");
        }
    }

    @Test
    void an_unknown_path_is_a_404_problem() {
        Http.Answer answer = http.get("/api/nothing-here");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
    }

    // --- the parser: strict, and naming the field

    @Test
    void a_fraction_for_an_integer_is_refused_not_truncated() {
        assertRefused("/api/sessions", "{\"userId\":\"" + userId + "\",\"ttlSeconds\":1.9}", "ttlSeconds");
    }

    @Test
    void numbers_too_large_for_their_field_are_refused_naming_it() {
        assertRefused("/api/sessions", "{\"userId\":\"" + userId + "\",\"ttlSeconds\":1e400}", "ttlSeconds");
        assertRefused("/api/sessions", "{\"userId\":\"" + userId + "\",\"ttlSeconds\":99999999999999999999}", "ttlSeconds");
        String session = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        assertRefused("/api/sessions/" + session + "/messages",
                "{\"role\":\"user\",\"content\":\"hi\",\"tokensUsed\":99999999999999999999}", "tokensUsed");
    }

    @Test
    void duplicate_keys_are_refused_naming_the_key() {
        assertRefused("/api/sessions", "{\"userId\":\"" + userId + "\",\"ttlSeconds\":60,\"ttlSeconds\":3600}",
                "ttlSeconds");
    }

    @Test
    void an_unpaired_surrogate_is_refused_naming_the_field_not_altered() {
        String session = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        String messages = "/api/sessions/" + session + "/messages";
        assertRefused(messages, "{\"role\":\"user\",\"content\":\"a\\ud800b\",\"tokensUsed\":1}", "content");
        assertRefused(messages, "{\"role\":\"user\",\"content\":\"\\udc00\",\"tokensUsed\":1}", "content");
        assertThat(http.post(messages, "{\"role\":\"user\",\"content\":\"\\ud83d\\ude00\",\"tokensUsed\":1}").status())
                .as("a pair is a character").isEqualTo(201);
    }

    @Test
    void nesting_past_the_parsers_limit_is_refused_naming_the_field() {
        String session = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
        assertRefused("/api/sessions/" + session + "/messages",
                "{\"role\":\"user\",\"content\":\"hi\",\"tokensUsed\":1,\"metadata\":" + deep + "}", "metadata");
    }

    private void assertRefused(String path, String body, String field) {
        long before = storedEvents();
        Http.Answer answer = http.post(path, body);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        JsonNode errors = answer.body().path("errors");
        assertThat(errors.path(0).path("field").asText()).as(answer.body().toString()).startsWith(field);
        assertThat(storedEvents()).as("nothing appended").isEqualTo(before);
    }

    private long storedEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }

    private static void assertTomcatProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).as(answer.body()).startsWith(PROBLEM_JSON);
        assertThat(answer.body()).contains("\"status\":" + status).doesNotContain("<html", "Tomcat");
    }
}
