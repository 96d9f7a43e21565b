package dev.transcript.command.session;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionStarted;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot is the aggregate as JSON (Axon's Jackson serializer, Spring's settings): the state added for
 * chat sessions, titles, deleted containers and files must survive it, and a snapshot taken before that
 * state existed must still load.
 */
class SessionSnapshotTest {

    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a1");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000b1");
    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c1");

    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void a_sandbox_session_with_a_deleted_container_and_files_survives_a_snapshot() throws Exception {
        UUID kept = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        Session session = new Session();
        session.on(new SessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, 60, Instant.parse("2025-03-01T10:01:00Z")));
        session.on(new ContainerCreated(SESSION_ID, "c1", "sandbox-1", "python:3.12", BigDecimal.ONE, 512));
        session.on(new FileStored(SESSION_ID, kept, "/w/a.txt", "a.txt", 1, null));
        session.on(new FileStored(SESSION_ID, deleted, "/w/b.txt", "b.txt", 2, "text/plain"));
        session.on(new FileDeleted(SESSION_ID, deleted));
        session.on(new ContainerStopped(SESSION_ID, "c1"));
        session.on(new ContainerDeleted(SESSION_ID, "c1"));
        session.on(new ConversationTitled(SESSION_ID, CONVERSATION_ID, "A todo app"));

        Session restored = json.readValue(json.writeValueAsBytes(session), Session.class);

        assertThat(restored).usingRecursiveComparison().isEqualTo(session);
    }

    @Test
    void a_chat_session_survives_a_snapshot() throws Exception {
        Session session = new Session();
        session.on(new ChatSessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, "Recipes"));

        Session restored = json.readValue(json.writeValueAsBytes(session), Session.class);

        assertThat(restored).usingRecursiveComparison().isEqualTo(session);
    }

    @Test
    void a_snapshot_from_before_chat_sessions_and_files_loads_with_none() throws Exception {
        String before = """
                {"sessionId":"%s","conversationId":"%s","status":"ACTIVE","expiresAt":"2025-03-01T11:00:00Z",
                 "containerId":"c1","container":"RUNNING","messageCount":3}""".formatted(SESSION_ID, CONVERSATION_ID);
        Session expected = new Session();
        expected.on(new SessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, 3600, Instant.parse("2025-03-01T11:00:00Z")));
        expected.on(new SessionActivated(SESSION_ID));
        expected.on(new ContainerCreated(SESSION_ID, "c1", "sandbox-1", "python:3.12", BigDecimal.ONE, 512));
        expected.on(new ContainerStarted(SESSION_ID, "c1"));
        for (int number = 1; number <= 3; number++) {
            expected.on(message(number));
        }

        assertThat(json.readValue(before, Session.class)).usingRecursiveComparison().isEqualTo(expected);
    }

    private static MessagePosted message(int number) {
        return new MessagePosted(SESSION_ID, CONVERSATION_ID,
                MessageIds.of(CONVERSATION_ID, number), number, MessageRole.USER, "m",
                1, List.of(), Map.of(), null, null);
    }
}
