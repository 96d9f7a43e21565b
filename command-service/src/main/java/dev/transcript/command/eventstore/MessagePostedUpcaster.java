package dev.transcript.command.eventstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.session.MessagePosted;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;

/**
 * Reads a {@code MessagePosted} stored as v1 as v2. Builds before revisions were written stored it with
 * revision null; "1" is accepted too. The facts a v1 message could not carry are absent — the defaults of
 * {@code MessagePostedV1#upcast()}. The store is never rewritten: every read goes through here, the
 * publisher's, an aggregate's load and the audit API's alike (all read through the storage engine's
 * upcaster chain, into which Axon's Spring Boot support puts every {@code EventUpcaster} bean).
 */
@Component
class MessagePostedUpcaster extends SingleEventUpcaster {

    static final String TYPE = MessagePosted.class.getName();
    /** Fixed, not read from {@code @EventVersion}: a v3 gets its own 2 → 3 upcaster after this one. */
    static final SerializedType V2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        SerializedType type = event.getType();
        return TYPE.equals(type.getName()) && (type.getRevision() == null || "1".equals(type.getRevision()));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(V2, ObjectNode.class, MessagePostedUpcaster::toV2);
    }

    static ObjectNode toV2(ObjectNode v1) {
        ObjectNode v2 = v1.deepCopy();
        v2.putArray("attachments");
        v2.putObject("metadata");
        v2.putNull("toolCalls");
        v2.putNull("model");
        return v2;
    }
}
