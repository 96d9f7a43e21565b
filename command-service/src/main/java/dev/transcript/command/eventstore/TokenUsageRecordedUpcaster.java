package dev.transcript.command.eventstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.session.TokenUsageRecorded;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.stereotype.Component;

/**
 * Reads a {@code TokenUsageRecorded} stored as v1 as v2: revision null (builds before revisions were written)
 * or "1". A v1 charge was recorded without a price, so its prices and cost are null — unknown — and never
 * taken from today's price list; its currency is USD. The same as {@code TokenUsageRecordedV1#upcast()}. Like
 * {@link MessagePostedUpcaster}, every read goes through here and the store is never rewritten.
 */
@Component
class TokenUsageRecordedUpcaster extends SingleEventUpcaster {

    static final String TYPE = TokenUsageRecorded.class.getName();
    /** Fixed, not read from {@code @EventVersion}: a v3 gets its own 2 → 3 upcaster after this one. */
    static final SerializedType V2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation event) {
        SerializedType type = event.getType();
        return TYPE.equals(type.getName()) && (type.getRevision() == null || "1".equals(type.getRevision()));
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation event) {
        return event.upcastPayload(V2, ObjectNode.class, TokenUsageRecordedUpcaster::toV2);
    }

    static ObjectNode toV2(ObjectNode v1) {
        ObjectNode v2 = v1.deepCopy();
        v2.putNull("inputPricePerMillion");
        v2.putNull("outputPricePerMillion");
        v2.putNull("cost");
        v2.put("currency", TokenUsageRecorded.DEFAULT_CURRENCY);
        return v2;
    }
}
