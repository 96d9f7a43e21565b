package dev.transcript.command.publication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import org.axonframework.eventhandling.DomainEventMessage;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** One stored event → one CloudEvent 1.0, its {@code data} the event record as JSON. */
final class CloudEventEncoder {

    static final String JSON = "application/json";

    private final ObjectMapper json;
    private final URI source;

    CloudEventEncoder(ObjectMapper json, URI source) {
        this.json = json;
        this.source = source;
    }

    CloudEvent encode(DomainEventMessage<?> message) {
        TranscriptEvent event = (TranscriptEvent) message.getPayload();
        EventType type = EventCatalog.typeOf(event.getClass());
        return CloudEventBuilder.v1()
                .withId(message.getIdentifier())
                .withSource(source)
                .withType(type.typeName())
                .withSubject(event.aggregateId())
                .withTime(OffsetDateTime.ofInstant(message.getTimestamp(), ZoneOffset.UTC))
                .withDataContentType(JSON)
                .withDataSchema(URI.create("urn:transcript:schema:" + type.typeName()))
                .withData(bytesOf(event))
                .withExtension("sequence", Math.toIntExact(message.getSequenceNumber())) // a CloudEvents Integer
                .withExtension("partitionkey", event.aggregateId())
                .build();
    }

    private byte[] bytesOf(TranscriptEvent event) {
        try {
            return json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.getClass().getSimpleName() + " is not serializable", e);
        }
    }
}
