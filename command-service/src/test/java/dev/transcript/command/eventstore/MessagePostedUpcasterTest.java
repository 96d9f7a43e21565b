package dev.transcript.command.eventstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The upcaster on its own: what it does to stored bytes, and that it agrees with {@link MessagePostedV1#upcast()}. */
class MessagePostedUpcasterTest {

    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a1");
    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c1");
    private static final UUID MESSAGE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f1");
    private static final MessagePostedV1 V1 = new MessagePostedV1(SESSION_ID, CONVERSATION_ID, MESSAGE_ID, 1,
            MessageRole.ASSISTANT, "hello from before the upgrade", 9);

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(json)
            .revisionResolver(new EventVersionRevisionResolver())
            .build();
    private final MessagePostedUpcaster upcaster = new MessagePostedUpcaster();

    @Test
    void a_v1_message_stored_without_a_revision_reads_as_what_message_posted_v1_upcasts_to() throws Exception {
        IntermediateEventRepresentation upcast = upcastOne(MessagePosted.class.getName(), null, json.writeValueAsBytes(V1));

        assertThat(upcast.getType().getName()).isEqualTo(MessagePosted.class.getName());
        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(V1.upcast());
    }

    @Test
    void a_v1_message_stored_with_revision_1_is_upcast_too() throws Exception {
        IntermediateEventRepresentation upcast = upcastOne(MessagePosted.class.getName(), "1", json.writeValueAsBytes(V1));

        assertThat(upcast.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(upcast.getData())).isEqualTo(V1.upcast());
    }

    @Test
    void the_added_fields_are_exactly_the_v1_defaults() {
        ObjectNode v1 = json.valueToTree(V1);
        ObjectNode v2 = MessagePostedUpcaster.toV2(v1);

        assertThat(v2).isEqualTo(json.valueToTree(V1.upcast()));
        assertThat(v1.has("attachments")).as("the stored node is left alone").isFalse();
    }

    @Test
    void a_v2_message_is_left_as_it_is() {
        MessagePosted v2 = new MessagePosted(SESSION_ID, CONVERSATION_ID, MESSAGE_ID, 2, MessageRole.ASSISTANT, "hi",
                3, List.of(Map.of("name", "plan.md")), Map.of("temperature", 0.2),
                List.of(Map.of("tool", "bash", "input", "ls")), "claude-sonnet-4");
        SerializedObject<byte[]> stored = serializer.serialize(v2, byte[].class);

        IntermediateEventRepresentation read = upcastOne(stored.getType().getName(), stored.getType().getRevision(),
                stored.getData());

        assertThat(stored.getType().getRevision()).isEqualTo("2");
        assertThat((Object) serializer.deserialize(read.getData())).isEqualTo(v2);
    }

    @Test
    void other_events_are_left_as_they_are() throws Exception {
        SessionStarted started = new SessionStarted(SESSION_ID, UUID.randomUUID(), CONVERSATION_ID, 60,
                Instant.parse("2025-03-01T10:01:00Z"));
        IntermediateEventRepresentation read = upcastOne(SessionStarted.class.getName(), null,
                json.writeValueAsBytes(started));

        assertThat(read.getType().getRevision()).isNull();
        assertThat((Object) serializer.deserialize(read.getData())).isEqualTo(started);
    }

    @Test
    void the_revision_written_is_the_event_version_and_nothing_for_other_classes() {
        EventVersionRevisionResolver revisions = new EventVersionRevisionResolver();

        assertThat(revisions.revisionOf(MessagePosted.class)).isEqualTo("2");
        assertThat(revisions.revisionOf(MessagePostedV1.class)).isEqualTo("1");
        assertThat(revisions.revisionOf(SessionStarted.class)).isEqualTo("1");
        assertThat(revisions.revisionOf(String.class)).isNull();
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
