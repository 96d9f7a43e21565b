package dev.transcript.command;

import dev.transcript.command.support.EdgeFixtures;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.LostConnections;
import dev.transcript.command.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12, finding 2: a command whose append meets a database connection that is gone (the backend
 * terminated as the insert runs; an {@code EOFException} in the cause chain) was answered 200 with an
 * empty body, Spring MVC taking it for a client that had left. It is a 503 problem+json with Retry-After,
 * nothing is stored, and the same request with the same Idempotency-Key then succeeds.
 */
@LocalInfrastructure
@Import(EdgeFixtures.class)
class LostDatabaseConnectionIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LostConnections lost;

    @Test
    void an_append_that_loses_its_connection_is_answered_503_and_its_retry_under_the_same_key_succeeds() {
        Http http = new Http(port);
        String userId = http.post("/api/users", json("email", "lost+" + System.nanoTime() + "@example.com",
                "password", "long enough", "role", "user")).text("id");
        String sessionId = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        String path = "/api/sessions/" + sessionId + "/messages";
        String message = json("role", "user", "content", LostConnections.LOSE, "tokensUsed", 1);
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());

        lost.arm();
        RawHttp.Answer refused = RawHttp.postJson(port, path, message, key);

        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.headers()).containsKey("retry-after");
        assertThat(refused.body()).contains("nothing was stored").doesNotContain("EOF", "Exception", "PSQL");
        assertThat(eventsOf(sessionId)).as("only SessionStarted is stored").isEqualTo(1);
        assertThat(keysStored(key.get("Idempotency-Key"))).isZero();

        RawHttp.Answer retried = RawHttp.postJson(port, path, message, key);

        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(eventsOf(sessionId)).isEqualTo(2);
    }

    @Test
    void the_event_store_failing_on_a_lost_connection_is_never_taken_for_a_client_that_left() {
        RawHttp.Answer answer = RawHttp.exchange(port, "GET /test/store-gone HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.headers()).containsEntry("retry-after", "1");
        assertThat(answer.body()).doesNotContain(EdgeFixtures.INTERNALS, "EOF", "SQLException");
    }

    private int eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class, aggregateId);
    }

    private int keysStored(String key) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.idempotency_key WHERE idempotency_key = ?",
                Integer.class, key);
    }
}
