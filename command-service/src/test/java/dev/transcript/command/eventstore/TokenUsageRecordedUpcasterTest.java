package dev.transcript.command.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.session.TokenUsageRecordedV1;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The upcaster on its own: what it does to stored bytes, and that it agrees with {@link TokenUsageRecordedV1#upcast()}. */
class TokenUsageRecordedUpcasterTest {

    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a1");
    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c1");
    private static final UUID USAGE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000e1");
    /** A model that has a price today: a v1 charge of it must still not be priced. */
    private static final TokenUsageRecordedV1 V1 = new TokenUsageRecordedV1(SESSION_ID, CONVERSATION_ID, USAGE_ID,
            null, "gpt-4o", 1_234, 567, 1_801);

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(json)
            .revisionResolver(new EventVersionRevisionResolver())
            .build();
    private final TokenUsageRecordedUpcaster upcaster = new TokenUsageRecordedUpcaster();

    @Test
    void a_v1_charge_stored_without_a_revision_reads_as_what_token_usage_recorded_v1_upcasts_to() throws Exception {
        IntermediateEventRepresentation upcast = upcastOne(TokenUsageRecorded.class.getName(), null,
                json.writeValueAsBytes(V1));

        assertThat(upcast.getType().getName()).isEqualTo(TokenUsageRecorded.class.getName());
        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(V1.upcast());
    }

    @Test
    void a_v1_charge_stored_with_revision_1_is_upcast_too() throws Exception {
        IntermediateEventRepresentation upcast = upcastOne(TokenUsageRecorded.class.getName(), "1",
                json.writeValueAsBytes(V1));

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(V1.upcast());
    }

    @Test
    void the_added_fields_are_exactly_the_v1_defaults() {
        ObjectNode v1 = json.valueToTree(V1);
        ObjectNode v2 = TokenUsageRecordedUpcaster.toV2(v1);

        assertThat(v2).isEqualTo(json.valueToTree(V1.upcast()));
        assertThat(v2.path("cost").isNull()).as("unknown, not zero and not today's price").isTrue();
        assertThat(v1.has("currency")).as("the stored node is left alone").isFalse();
    }

    @Test
    void a_v2_charge_is_left_as_it_is() {
        TokenUsageRecorded v2 = new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, null, "gpt-4o", 1_234,
                567, 1_801, new BigDecimal("2.5"), new BigDecimal("10"), new BigDecimal("0.008755"), "USD");
        SerializedObject<byte[]> stored = serializer.serialize(v2, byte[].class);

        IntermediateEventRepresentation read = upcastOne(stored.getType().getName(), stored.getType().getRevision(),
                stored.getData());

        assertThat(stored.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(read.getData())).isEqualTo(v2);
    }

    @Test
    void the_revision_written_is_the_event_version() {
        EventVersionRevisionResolver revisions = new EventVersionRevisionResolver();

        assertThat(revisions.revisionOf(TokenUsageRecorded.class)).isEqualTo("2");
        assertThat(revisions.revisionOf(TokenUsageRecordedV1.class)).isEqualTo("1");
    }

    private IntermediateEventRepresentation upcastOne(String payloadType, String revision, byte[] payload) {
        GenericDomainEventEntry<byte[]> entry = new GenericDomainEventEntry<>("Session", SESSION_ID.toString(), 0,
                UUID.randomUUID().toString(), Instant.now().toString(), payloadType, revision, payload,
                "{}".getBytes(StandardCharsets.UTF_8));
        List<IntermediateEventRepresentation> upcast = upcaster.upcast(
                Stream.of(new InitialEventRepresentation(entry, serializer))).toList();
        assertThat(upcast).hasSize(1);
        return upcast.getFirst();
    }
}
