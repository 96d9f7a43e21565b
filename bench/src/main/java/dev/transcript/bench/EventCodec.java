package dev.transcript.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The wire format of {@code transcript.events}, both ways. A copy of command-service's CloudEventEncoder
 * (package-private there, and bound to Axon's message type) and projection-service's EnvelopeDecoder:
 * EventCodecTest pins the shape, so a drift in the services shows up as a failing test here.
 */
public final class EventCodec {

    /** The source the command-service stamps on every event (transcript.kafka.source). */
    public static final URI SOURCE = URI.create("/transcript/command-service");

    private final ObjectMapper json;
    private final URI source;
    private final EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    public EventCodec(URI source) {
        this.json = Report.JSON;
        this.source = source;
    }

    public ObjectMapper json() {
        return json;
    }

    /** As CloudEventEncoder: id, type, subject, time, JSON data, extensions sequence and partitionkey. */
    public CloudEvent encode(TranscriptEvent event, String id, long sequence, Instant time) throws IOException {
        EventType type = EventCatalog.typeOf(event.getClass());
        return CloudEventBuilder.v1()
                .withId(id)
                .withSource(source)
                .withType(type.typeName())
                .withSubject(event.aggregateId())
                .withTime(OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withDataSchema(URI.create("urn:transcript:schema:" + type.typeName()))
                .withData(json.writeValueAsBytes(event))
                .withExtension("sequence", Math.toIntExact(sequence)) // an Integer, as the service writes it
                .withExtension("partitionkey", event.aggregateId())
                .build();
    }

    /** Structured mode: the whole CloudEvent as one JSON document, as the record value. */
    public byte[] serialize(CloudEvent event) {
        return format.serialize(event);
    }

    public CloudEvent parse(byte[] value) {
        return format.deserialize(value);
    }

    /** As EnvelopeDecoder: the record of the CloudEvent's type, from its data. */
    public TranscriptEvent data(CloudEvent event) throws IOException {
        EventType type = EventCatalog.byTypeName(event.getType())
                .orElseThrow(() -> new IOException("unknown event type " + event.getType()));
        return json.readValue(event.getData().toBytes(), type.recordClass());
    }
}
