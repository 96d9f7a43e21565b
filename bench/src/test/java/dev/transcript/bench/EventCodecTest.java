package dev.transcript.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CatchUpLoad's records must be what the command-service publishes and what the projection accepts:
 * the same CloudEvents attributes and extensions, data as a JSON object, and data that reads back into
 * the shared record (EnvelopeDecoder's checks).
 */
class EventCodecTest {

    private final EventCodec codec = new EventCodec(EventCodec.SOURCE);

    @Test
    void recordsAreStructuredCloudEventsThatDecodeToTheSameEvent() throws Exception {
        UUID userId = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<TranscriptEvent> events = List.of(
                new UserRegistered(userId, "a@example.com", "$2a$10$" + "b".repeat(53), UserRole.USER),
                new SessionStarted(sessionId, userId, UUID.randomUUID(), 60, now.plusSeconds(60)),
                new MessagePosted(sessionId, UUID.randomUUID(), UUID.randomUUID(), 3, MessageRole.ASSISTANT, "hi", 5, List.of(), Map.of(), null, null));

        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED",
                    CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"), false);
            for (TranscriptEvent event : events) {
                CloudEvent cloudEvent = codec.encode(event, "id-1", 3, now);
                RecordHeaders headers = new RecordHeaders();
                byte[] value = serializer.serialize("transcript.events", headers, cloudEvent);

                assertThat(value).isEqualTo(codec.serialize(cloudEvent));
                assertThat(new String(headers.lastHeader("content-type").value(), StandardCharsets.UTF_8))
                        .startsWith("application/cloudevents+json");
                JsonNode json = Report.JSON.readTree(value);
                assertThat(json.get("specversion").asText()).isEqualTo("1.0");
                assertThat(json.get("type").asText()).startsWith("transcript.").matches(".*\\.v\\d+$");
                assertThat(json.get("source").asText()).isEqualTo("/transcript/command-service");
                assertThat(json.get("subject").asText()).isEqualTo(event.aggregateId());
                assertThat(json.get("partitionkey").asText()).isEqualTo(event.aggregateId());
                assertThat(json.get("sequence").isIntegralNumber()).isTrue();
                assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");
                assertThat(json.get("dataschema").asText()).isEqualTo("urn:transcript:schema:" + json.get("type").asText());
                assertThat(json.get("data").isObject()).isTrue();
                assertThat(Instant.parse(json.get("time").asText())).isEqualTo(now);

                CloudEvent parsed = codec.parse(value);
                assertThat(parsed.getExtension("sequence")).isInstanceOf(Number.class);
                assertThat(codec.data(parsed)).isEqualTo(event);
            }
        }
    }

    @Test
    void datesInDataAreIsoStringsNotNumbers() throws Exception {
        Instant expires = Instant.parse("2026-01-02T03:04:05Z");
        CloudEvent cloudEvent = codec.encode(new SessionStarted(UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), 60, expires), "id", 0, Instant.now());
        JsonNode data = Report.JSON.readTree(cloudEvent.getData().toBytes());
        assertThat(data.get("expiresAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
    }
}
