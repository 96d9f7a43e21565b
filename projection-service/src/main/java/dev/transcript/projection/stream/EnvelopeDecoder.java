package dev.transcript.projection.stream;

import dev.transcript.events.Superseded;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.Nullable;
import dev.transcript.events.TranscriptEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/** CloudEvents 1.0 structured JSON → {@link Envelope}, with the CloudEvents SDK and the shared records. */
@Component
public class EnvelopeDecoder {

    private final ObjectMapper json;
    /**
     * The CloudEvents SDK's own format reads a number with a fraction into a double, so a cost of 20 significant
     * digits (NUMERIC(20, 10), which the contract allows) arrived rounded and could not be kept exactly. Its Jackson
     * module on a mapper that reads such numbers as written keeps every digit.
     */
    private final ObjectMapper cloudEvents;

    EnvelopeDecoder(ObjectMapper json) {
        this.json = json;
        this.cloudEvents = json.copy()
                .registerModule(JsonFormat.getCloudEventJacksonModule())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    public Envelope decode(ConsumerRecord<String, byte[]> record) {
        Origin origin = new Origin(record.topic(), record.partition(), record.offset());
        if (record.value() == null) {
            throw new Poison("the record has no value", null);
        }
        CloudEvent cloudEvent = parse(record.value());
        Object sequence = cloudEvent.getExtension("sequence");
        if (cloudEvent.getSubject() == null || !(sequence instanceof Number number) || cloudEvent.getTime() == null) {
            throw new Poison("the CloudEvent lacks subject, time or an integer sequence", null);
        }
        TranscriptEvent event = EventCatalog.byTypeName(cloudEvent.getType())
                .map(type -> data(cloudEvent, type))
                .map(EnvelopeDecoder::current)
                .orElse(null);
        if (event != null && !event.aggregateId().equals(cloudEvent.getSubject())) {
            throw new Poison("subject " + cloudEvent.getSubject() + " is not the event's aggregate", null);
        }
        return new Envelope(cloudEvent.getId(), cloudEvent.getType(), cloudEvent.getSubject(), number.longValue(),
                cloudEvent.getTime().toInstant(), event, record.value(), origin, record.key(), null);
    }

    /**
     * {@link #decode}, except that a record which cannot be decoded but still names its aggregate and sequence
     * comes back as a {@link Envelope#poisoned() poisoned} envelope, to be dead-lettered in its turn; so does one
     * whose decoding throws an {@link Error} (data nested deep enough to overflow the stack).
     *
     * @throws Poison when the record does not even say which event it is
     */
    Envelope decodeOrMark(ConsumerRecord<String, byte[]> record) {
        try {
            return decode(record);
        } catch (Poison poison) {
            return marked(record, poison.getMessage());
        } catch (Error error) {
            return marked(record, "cannot be decoded: " + EventError.isolate(error).reason());
        }
    }

    private static Envelope marked(ConsumerRecord<String, byte[]> record, String reason) {
        RecordIdentity identity = RecordIdentity.of(record.value())
                .orElseThrow(() -> new Poison(reason, null));
        Origin origin = new Origin(record.topic(), record.partition(), record.offset());
        return new Envelope(identity.eventId(), identity.type(), identity.aggregateId(), identity.sequence(), null,
                null, record.value(), origin, record.key(), reason);
    }

    private CloudEvent parse(byte[] bytes) {
        try {
            return cloudEvents.readValue(bytes, CloudEvent.class);
        } catch (IOException | RuntimeException e) {
            throw new Poison("not a CloudEvent in structured JSON: " + e.getMessage(), e);
        }
    }

    private TranscriptEvent data(CloudEvent cloudEvent, EventType type) {
        if (cloudEvent.getData() == null) {
            throw new Poison("a " + type.typeName() + " without data", null);
        }
        TranscriptEvent event;
        try {
            // Structured JSON arrives already parsed: bind the tree instead of printing and re-reading it.
            event = cloudEvent.getData() instanceof JsonCloudEventData tree
                    ? json.treeToValue(tree.getNode(), type.recordClass())
                    : json.readValue(cloudEvent.getData().toBytes(), type.recordClass());
        } catch (IOException | IllegalArgumentException e) {
            throw new Poison("data does not fit " + type.typeName() + ": " + e.getMessage(), e);
        }
        requireComponents(event, type);
        return event;
    }

    /** Jackson leaves a missing field null; the schema says every field not marked @Nullable is required. */
    private static void requireComponents(TranscriptEvent event, EventType type) {
        for (RecordComponent component : REQUIRED.get(type.recordClass())) {
            try {
                if (component.getAccessor().invoke(event) == null) {
                    throw new Poison("data does not fit " + type.typeName() + ": " + component.getName() + " is missing", null);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }
    }

    /** The components that may not be null, per record class, worked out once. */
    private static final ClassValue<List<RecordComponent>> REQUIRED = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> recordClass) {
            return Arrays.stream(recordClass.getRecordComponents())
                    .filter(component -> !component.isAnnotationPresent(Nullable.class))
                    .filter(component -> !component.getType().isPrimitive())
                    .toList();
        }
    };

    /** Projectors see current events only: a superseded version read from the topic is upcast here. */
    private static TranscriptEvent current(TranscriptEvent event) {
        return event instanceof Superseded<?> old ? old.upcast() : event;
    }
}
