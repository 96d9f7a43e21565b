package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.Http;
import dev.transcript.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session's expiry is a deadline kept in PostgreSQL, not a timer in memory: a session still open when
 * command-service stops expires on time once it runs again.
 */
class ExpiryAcrossRestartIT {

    static final long TTL_SECONDS = 8;
    static EmbeddedKafkaKraftBroker kafka;
    static TestDatabase database;

    @BeforeAll
    static void infrastructure() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        database = TestDatabase.create("expiry");
    }

    @AfterAll
    static void stopInfrastructure() {
        kafka.destroy();
        database.drop();
    }

    @Test
    void a_session_open_when_the_service_stops_expires_on_time_after_it_starts_again() {
        String sessionId;
        Instant expiresAt;
        try (ConfigurableApplicationContext first = startService()) {
            Http http = httpOf(first);
            String userId = http.post("/api/users", json("email", "sleeper@example.com",
                    "password", "long enough", "role", "user")).text("id");
            Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", TTL_SECONDS));
            assertThat(started.status()).isEqualTo(201);
            sessionId = started.text("sessionId");
            expiresAt = Instant.parse(started.text("expiresAt"));
        }
        assertThat(Instant.now()).as("the first instance stopped before the expiry").isBefore(expiresAt);

        try (ConfigurableApplicationContext second = startService()) {
            Http http = httpOf(second);
            JsonNode last = await().atMost(Duration.ofSeconds(TTL_SECONDS + 20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> lastEvent(http, sessionId),
                            event -> event.path("type").asText().equals("transcript.session.SessionExpired.v1"));

            Instant expiredAt = Instant.parse(last.path("time").asText());
            assertThat(expiredAt).isAfterOrEqualTo(expiresAt).isBefore(expiresAt.plusSeconds(5));
            assertThat(last.path("payload").path("expiresAt").asText()).isEqualTo(expiresAt.toString());
        }
    }

    private static JsonNode lastEvent(Http http, String sessionId) {
        JsonNode events = http.get("/api/audit/sessions/" + sessionId + "/events").body();
        return events.get(events.size() - 1);
    }

    private static ConfigurableApplicationContext startService() {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
        properties.put("transcript.users.bcrypt-cost", 4);
        properties.put("transcript.deadlines.polling-interval", "250ms");
        // As command-line arguments: they outrank application.yml (builder "properties" would not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CommandServiceApplication.class).run(args);
    }

    private static Http httpOf(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
