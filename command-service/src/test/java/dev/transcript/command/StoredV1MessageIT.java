package dev.transcript.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.command.support.EventSchemas;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.session.TokenUsageRecordedV1;
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session stored by a build from before MessagePosted v2 or TokenUsageRecorded v2 — its message or charge
 * with revision NULL (or "1") and none of the v2 fields — is read as v2 everywhere: on the topic, when the
 * aggregate loads, and by the audit API. The rows are written straight into the event store, as that build
 * wrote them, for a session this JVM never loaded, so nothing can come from a cache.
 */
@LocalInfrastructure
class StoredV1MessageIT {

    @LocalServerPort
    int port;
    /**
     * The brokers this context was built with, not ${spring.kafka.bootstrap-servers} read now: that resolves
     * through the system property every embedded broker sets as it starts, so in a context reused after
     * another test class started (or stopped) a broker it names the wrong one.
     */
    @Autowired
    KafkaProperties kafka;
    String brokers;
    @Value("${transcript.kafka.topic}")
    String topic;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
        brokers = String.join(",", kafka.getBootstrapServers());
    }

    @Test
    void a_v1_message_in_the_store_is_published_loaded_and_audited_as_v2() throws JsonProcessingException {
        UUID userId = UUID.fromString(registerUser());
        UUID sessionId = UUID.randomUUID();
        UUID conversationId = UUID.randomUUID();
        UUID messageId = UUID.randomUUID();
        storeAsTheOldBuildDid(sessionId, 0, new SessionStarted(sessionId, userId, conversationId, 3600,
                Instant.now().plusSeconds(3600)));
        storeAsTheOldBuildDid(sessionId, 1, new MessagePostedV1(sessionId, conversationId, messageId, 1,
                MessageRole.USER, "written before the upgrade", 4));

        List<Record> published = TopicRecords.awaitKey(brokers, topic, sessionId.toString(),
                records -> records.size() >= 2, Duration.ofSeconds(30));
        Record message = published.get(1);
        assertThat(message.type()).isEqualTo("transcript.session.MessagePosted.v2");
        JsonNode data = message.cloudEvent().path("data");
        assertThat(data.path("content").asText()).isEqualTo("written before the upgrade");
        assertThat(data.path("attachments").isArray()).isTrue();
        assertThat(data.path("attachments")).isEmpty();
        assertThat(data.path("metadata").isObject()).isTrue();
        assertThat(data.path("metadata")).isEmpty();
        assertThat(data.path("toolCalls").isNull()).isTrue();
        assertThat(data.path("model").isNull()).isTrue();
        assertThat(EventSchemas.violations(message.type(), data)).isEmpty();

        Http.Answer posted = http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "assistant", "content", "written after it", "tokensUsed", 6, "model", "gpt-x"));
        assertThat(posted.status()).as(posted.body().toString()).isEqualTo(201);
        assertThat(posted.body().path("messageNumber").asInt()).isEqualTo(2);

        Http.Answer audit = http.get("/api/audit/sessions/" + sessionId + "/events");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).hasSize(3);
        JsonNode audited = audit.body().get(1);
        assertThat(audited.path("type").asText()).isEqualTo("transcript.session.MessagePosted.v2");
        assertThat(audited.path("eventId").asText()).isEqualTo(message.id());
        assertThat(audited.path("payload").path("messageId").asText()).isEqualTo(messageId.toString());
        assertThat(audited.path("payload").path("attachments")).isEmpty();
        assertThat(audited.path("payload").path("toolCalls").isNull()).isTrue();
        assertThat(audit.body().get(2).path("payload").path("model").asText()).isEqualTo("gpt-x");

        assertThat(revisionsOf(sessionId)).as("the old rows stay as they were; new ones carry their version")
                .containsExactly("null", "null", "2");
    }

    /**
     * A charge recorded before prices existed — by a build that wrote no revisions, and by one that wrote
     * revision "1" — reads as TokenUsageRecorded v2 with its prices and cost unknown (null), on the topic and in
     * the audit API, although its model has a price today: a recorded charge is never re-priced. A charge
     * recorded after the upgrade is priced.
     */
    @Test
    void a_v1_charge_in_the_store_is_published_and_audited_as_v2_with_its_cost_unknown() throws JsonProcessingException {
        UUID userId = UUID.fromString(registerUser());
        UUID sessionId = UUID.randomUUID();
        UUID conversationId = UUID.randomUUID();
        storeAsTheOldBuildDid(sessionId, 0, new SessionStarted(sessionId, userId, conversationId, 3600,
                Instant.now().plusSeconds(3600)));
        storeAsTheOldBuildDid(sessionId, 1, new TokenUsageRecordedV1(sessionId, conversationId, UUID.randomUUID(),
                null, "gpt-4o", 1_234, 567, 1_801));
        storeAsTheOldBuildDid(sessionId, 2, new TokenUsageRecordedV1(sessionId, conversationId, UUID.randomUUID(),
                null, "gpt-4o", 100, 10, 110), "1");

        List<Record> published = TopicRecords.awaitKey(brokers, topic, sessionId.toString(),
                records -> records.size() >= 3, Duration.ofSeconds(30));
        for (Record charge : published.subList(1, 3)) {
            assertThat(charge.type()).isEqualTo("transcript.session.TokenUsageRecorded.v2");
            JsonNode data = charge.cloudEvent().path("data");
            assertThat(data.path("model").asText()).isEqualTo("gpt-4o");
            assertThat(data.path("inputPricePerMillion").isNull()).isTrue();
            assertThat(data.path("outputPricePerMillion").isNull()).isTrue();
            assertThat(data.path("cost").isNull()).as("unknown, never today's price").isTrue();
            assertThat(data.path("currency").asText()).isEqualTo("USD");
            assertThat(EventSchemas.violations(charge.type(), data)).isEmpty();
        }

        Http.Answer recorded = http.post("/api/sessions/" + sessionId + "/token-usage",
                json("model", "gpt-4o", "inputTokens", 1_234, "outputTokens", 567));
        assertThat(recorded.status()).as(recorded.body().toString()).isEqualTo(201);
        Record priced = TopicRecords.awaitKey(brokers, topic, sessionId.toString(),
                records -> records.size() >= 4, Duration.ofSeconds(30)).get(3);
        assertThat(priced.cloudEvent().path("data").path("cost").decimalValue()).isEqualTo(new BigDecimal("0.008755"));

        Http.Answer audit = http.get("/api/audit/sessions/" + sessionId + "/events");
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).hasSize(4);
        for (int i = 1; i <= 2; i++) {
            JsonNode audited = audit.body().get(i);
            assertThat(audited.path("type").asText()).isEqualTo("transcript.session.TokenUsageRecorded.v2");
            assertThat(audited.path("eventId").asText()).isEqualTo(published.get(i).id());
            assertThat(audited.path("payload").path("cost").isNull()).isTrue();
            assertThat(audited.path("payload").path("currency").asText()).isEqualTo("USD");
        }
        assertThat(audit.body().get(3).path("payload").path("cost").asText()).isEqualTo("0.008755");

        assertThat(revisionsOf(sessionId)).as("the old rows stay as they were; new ones carry their version")
                .containsExactly("null", "null", "1", "2");
    }

    private void storeAsTheOldBuildDid(UUID sessionId, long sequence, Object event) throws JsonProcessingException {
        storeAsTheOldBuildDid(sessionId, sequence, event, null);
    }

    /** The columns as Axon's JDBC storage engine writes them; revision NULL, as before revisions were written. */
    private void storeAsTheOldBuildDid(UUID sessionId, long sequence, Object event, String revision)
            throws JsonProcessingException {
        // The pre-upgrade build stored the v1 record under the class name that v2 has now.
        String payloadType = switch (event) {
            case MessagePostedV1 ignored -> MessagePosted.class.getName();
            case TokenUsageRecordedV1 ignored -> TokenUsageRecorded.class.getName();
            default -> event.getClass().getName();
        };
        String metaData = json.writeValueAsString(Map.of(
                "traceId", UUID.randomUUID().toString(), "correlationId", UUID.randomUUID().toString()));
        byte[] payload = json.writeValueAsBytes(event);
        jdbc.update("""
                INSERT INTO eventstore.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                    type, time_stamp, payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, ?, 'Session', ?, ?, ?, ?, ?)""",
                UUID.randomUUID().toString(), sessionId.toString(), sequence,
                DateTimeUtils.formatInstant(Instant.now()), payloadType, revision, payload,
                metaData.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> revisionsOf(UUID sessionId) {
        return jdbc.queryForList("""
                SELECT coalesce(payload_revision, 'null') FROM eventstore.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number""", String.class, sessionId.toString());
    }

    private String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", "before+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        return registered.text("id");
    }
}
