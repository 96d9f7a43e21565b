package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import dev.transcript.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12, findings 1 and 9 for the publisher: an event larger than the record limit (2 MiB), put
 * straight into the store as an older version of the service or a manual repair could, used to stop
 * publication for everyone while every metric read healthy. Publication still stops at it (nothing is
 * skipped), but health {@code publication} turns DOWN naming it, and the lag gauges, measured from the
 * store, grow. The operator repairs the event and restarts the service (a running one has the event
 * cached in Axon's embedded event store): it and everything after it is published, health is UP again.
 */
class UnpublishableEventIT {

    /** Covers the processor's back-off after repeated failures (1 s doubling to 60 s) plus an attempt. */
    static final Duration PUBLICATION = Duration.ofSeconds(120);
    static final String TOPIC = "transcript.events";
    static final String BEHIND = "transcript.publication.behind.events";
    static final String OLDEST = "transcript.publication.oldest.unpublished";

    static EmbeddedKafkaKraftBroker kafka;
    static TestDatabase database;

    @BeforeAll
    static void infrastructure() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        database = TestDatabase.create("unpublishable");
    }

    @AfterAll
    static void stopInfrastructure() {
        kafka.destroy();
        database.drop();
    }

    @Test
    @Timeout(400)
    void an_event_over_the_record_limit_turns_health_down_naming_it_and_holds_back_the_rest_until_it_is_repaired() {
        String poison;
        String first;
        String later;
        try (ConfigurableApplicationContext service = startService()) {
            Http http = httpOf(service);
            JdbcTemplate jdbc = service.getBean(JdbcTemplate.class);
            String userId = http.post("/api/users", json("email", "big+" + System.nanoTime() + "@example.com",
                    "password", "long enough", "role", "user")).text("id");
            first = startSession(http, userId);
            assertThat(postMessage(http, first, "small").status()).isEqualTo(201);
            TopicRecords.awaitKey(brokers(), TOPIC, first, records -> records.size() == 2, PUBLICATION);
            await("caught up").atMost(PUBLICATION).until(() -> gauge(service, BEHIND) == 0);

            poison = insertCopyOfLastEventWithContent(jdbc, first, "x".repeat(2_200_000));
            later = startSession(http, userId);
            assertThat(postMessage(http, later, "after the big one").status()).isEqualTo(201);

            await("health names the event").atMost(PUBLICATION)
                    .until(() -> "DOWN".equals(publicationHealth(http).path("status").asText()));
            JsonNode stuck = publicationHealth(http).path("details").path("stuckAt");
            assertThat(stuck.path("id").asText()).isEqualTo(poison);
            assertThat(stuck.path("aggregateId").asText()).isEqualTo(first);
            assertThat(stuck.path("sequence").asLong()).isEqualTo(2);
            assertThat(stuck.path("type").asText()).isEqualTo("transcript.session.MessagePosted.v2");
            assertThat(publicationHealth(http).path("details").path("reason").asText()).contains("RecordTooLarge");
            assertThat(http.get("/actuator/health").status()).isEqualTo(503);

            // The gauges are measured at most once a second: the last reading may predate the stuck batch.
            await("the big event and the two after it behind").atMost(Duration.ofSeconds(10))
                    .until(() -> gauge(service, BEHIND) >= 3);
            double behindBefore = gauge(service, BEHIND);
            assertThat(postMessage(http, later, "still held back").status()).isEqualTo(201);
            await("the gauge grows").atMost(Duration.ofSeconds(10)).until(() -> gauge(service, BEHIND) > behindBefore);
            assertThat(gauge(service, OLDEST)).isGreaterThan(0);
            assertThat(TopicRecords.ofKey(TopicRecords.readAll(brokers(), TOPIC), later))
                    .as("nothing after it is published").isEmpty();

            jdbc.update("""
                    UPDATE eventstore.domain_event_entry
                    SET payload = convert_to(jsonb_set(convert_from(payload, 'UTF8')::jsonb, '{content}', '"repaired"')::text, 'UTF8')
                    WHERE event_identifier = ?""", poison);
        }

        try (ConfigurableApplicationContext restarted = startService()) {
            Http http = httpOf(restarted);
            TopicRecords.awaitKey(brokers(), TOPIC, later, records -> records.size() == 3, PUBLICATION);
            assertThat(TopicRecords.ofKey(TopicRecords.readAll(brokers(), TOPIC), first)).extracting(Record::id)
                    .as("the repaired event is published, not skipped").contains(poison);
            await("health is UP").atMost(PUBLICATION)
                    .until(() -> "UP".equals(publicationHealth(http).path("status").asText()));
            await("caught up again").atMost(PUBLICATION)
                    .until(() -> gauge(restarted, BEHIND) == 0 && gauge(restarted, OLDEST) == 0);
        }
    }

    /** A copy of the aggregate's last event as its next one, with other content: the edge is not asked. */
    private static String insertCopyOfLastEventWithContent(JdbcTemplate jdbc, String aggregateId, String content) {
        String id = UUID.randomUUID().toString();
        jdbc.update("""
                INSERT INTO eventstore.domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,
                    time_stamp, payload_type, payload_revision, payload, meta_data)
                SELECT ?, aggregate_identifier, sequence_number + 1, type, time_stamp, payload_type, payload_revision,
                    convert_to(jsonb_set(convert_from(payload, 'UTF8')::jsonb, '{content}', to_jsonb(?::text))::text, 'UTF8'),
                    meta_data
                FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?
                ORDER BY sequence_number DESC LIMIT 1""", id, content, aggregateId);
        return id;
    }

    private static ConfigurableApplicationContext startService() {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", brokers());
        properties.put("transcript.users.bcrypt-cost", 4);
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CommandServiceApplication.class).run(args);
    }

    private static String brokers() {
        return kafka.getBrokersAsString();
    }

    private static Http httpOf(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static JsonNode publicationHealth(Http http) {
        return http.get("/actuator/health").body().path("components").path("publication");
    }

    private static double gauge(ConfigurableApplicationContext context, String name) {
        return context.getBean(MeterRegistry.class).get(name).gauge().value();
    }

    private static String startSession(Http http, String userId) {
        return http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
    }

    private static Http.Answer postMessage(Http http, String sessionId, String content) {
        return http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", content, "tokensUsed", 1));
    }
}
