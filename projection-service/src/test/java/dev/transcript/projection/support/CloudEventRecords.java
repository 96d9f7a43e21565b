package dev.transcript.projection.support;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.common.utils.Utils;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * CloudEvents exactly as command-service's {@code CloudEventEncoder} and its Kafka serializer (structured
 * mode, {@code application/cloudevents+json}) write them: id, source, type {@code transcript.<stream>.<Name>.v1},
 * subject = aggregate id, time, {@code datacontenttype application/json}, dataschema, data = the event record
 * as Spring Boot's Jackson writes it, and the extensions {@code sequence} (an Integer) and {@code partitionkey}.
 */
public final class CloudEventRecords {

    public static final String TOPIC = "transcript.events";
    public static final String DEAD_LETTER_TOPIC = TOPIC + ".DLT";
    public static final int PARTITIONS = 6;
    public static final URI SOURCE = URI.create("/transcript/command-service");
    /** The header cloudevents-kafka's serializer puts on a structured-mode record. */
    public static final String CONTENT_TYPE_HEADER = "content-type";

    /** As Spring Boot's auto-configured ObjectMapper writes: ISO-8601 instants, BigDecimal as a number, nulls kept. */
    private static final ObjectMapper DATA = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private static final EventFormat FORMAT = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private CloudEventRecords() {
    }

    /** A builder filled in as command-service fills it; a test may change any attribute before building. */
    public static CloudEventBuilder builder(TranscriptEvent event, long sequence, Instant time) {
        EventType type = EventCatalog.typeOf(event.getClass());
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString()) // Axon's message identifier is a random UUID
                .withSource(SOURCE)
                .withType(type.typeName())
                .withSubject(event.aggregateId())
                .withTime(OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(URI.create("urn:transcript:schema:" + type.typeName()))
                .withData(json(event))
                .withExtension("sequence", Math.toIntExact(sequence))
                .withExtension("partitionkey", event.aggregateId());
    }

    public static byte[] serialize(CloudEvent cloudEvent) {
        return FORMAT.serialize(cloudEvent);
    }

    public static byte[] json(Object value) {
        try {
            return DATA.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The partition Kafka's default partitioner picks for a key on the 6-partition topic. */
    public static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }
}
