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
import org.axonframework.common.DateTimeUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session stored by a build from before MessagePosted v2 — its message with revision NULL and none of the
 * v2 fields — is read as v2 everywhere: on the topic, when the aggregate loads, and by the audit API. The
 * rows are written straight into the event store, as that build wrote them, for a session this JVM never
 * loaded, so nothing can come from a cache.
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

    /** The columns as Axon's JDBC storage engine writes them; revision NULL, as before revisions were written. */
    private void storeAsTheOldBuildDid(UUID sessionId, long sequence, Object event) throws JsonProcessingException {
        // The pre-upgrade build stored the v1 record under the class name that v2 has now.
        String payloadType = event instanceof MessagePostedV1 ? MessagePosted.class.getName() : event.getClass().getName();
        String metaData = json.writeValueAsString(Map.of(
                "traceId", UUID.randomUUID().toString(), "correlationId", UUID.randomUUID().toString()));
        byte[] payload = json.writeValueAsBytes(event);
        jdbc.update("""
                INSERT INTO eventstore.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                    type, time_stamp, payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, ?, 'Session', ?, ?, NULL, ?, ?)""",
                UUID.randomUUID().toString(), sessionId.toString(), sequence,
                DateTimeUtils.formatInstant(Instant.now()), payloadType, payload,
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
