package dev.transcript.projection.chatapp;

import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectUpdated;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.projection.support.SessionStory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One user of the chat app with fresh ids: a login, a chat session, a sandbox session ({@link SessionStory}'s),
 * two pipeline runs, a task and a project, told as the events command-service appends. Every factory method
 * returns the event record; {@code EventLog} makes it a published CloudEvent.
 */
final class ChatAppStory {

    static final String IP = "203.0.113.7";
    static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64) chat-app/1.0";

    final SessionStory sandbox = new SessionStory();
    final UUID userId = sandbox.userId;
    final String email = sandbox.email;
    final UUID loginId = UUID.randomUUID();
    /** The SHA-256 of this story's login token: unique, as {@code sessions.token_hash} must be. */
    final String tokenSha256 = HexFormat.of().formatHex(sha256("token of " + loginId));
    final UUID chatSessionId = UUID.randomUUID();
    final UUID chatConversationId = UUID.randomUUID();
    final UUID pipelineId = UUID.randomUUID();
    final UUID failingPipelineId = UUID.randomUUID();
    final UUID taskId = UUID.randomUUID();
    final UUID projectId = UUID.randomUUID();

    // --- the user and their login

    UserRegistered userRegistered() {
        return sandbox.userRegistered();
    }

    UserDeactivated deactivated() {
        return new UserDeactivated(userId);
    }

    UserReactivated reactivated() {
        return new UserReactivated(userId);
    }

    LoginOpened loginOpened(Instant expiresAt) {
        return new LoginOpened(userId, loginId, tokenSha256, IP, AGENT, expiresAt);
    }

    LoginTouched loginTouched() {
        return new LoginTouched(userId, loginId);
    }

    LoginClosed loginClosed() {
        return new LoginClosed(userId, loginId);
    }

    // --- chat sessions

    /** The sandbox session, started at {@code at}. */
    SessionStarted sessionStarted(Instant at) {
        return sandbox.sessionStarted(at);
    }

    ChatSessionStarted chatSessionStarted(String title) {
        return new ChatSessionStarted(chatSessionId, userId, chatConversationId, title);
    }

    ConversationTitled chatTitled(String title) {
        return new ConversationTitled(chatSessionId, chatConversationId, title);
    }

    /** Message {@code number} of the chat session, as v2 publishes it. */
    MessagePosted chatMessage(int number, MessageRole role, String content, Map<String, Object> metadata,
                              String model) {
        return new MessagePosted(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length(), List.of(), metadata, null, model);
    }

    MessagePosted chatMessage(int number, MessageRole role, String content) {
        return chatMessage(number, role, content, Map.of(), role == MessageRole.ASSISTANT ? "gpt-x" : null);
    }

    /** Message {@code number} of the chat session, as it was published before v2. */
    MessagePostedV1 chatMessageV1(int number, MessageRole role, String content) {
        return new MessagePostedV1(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length());
    }

    UUID chatMessageId(int number) {
        return UUID.nameUUIDFromBytes((chatConversationId + "#" + number).getBytes(StandardCharsets.UTF_8));
    }

    /** Metadata whose keys are not in order, nested, with every kind of JSON value. */
    static Map<String, Object> unorderedMetadata() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("zeta", List.of(3, 1, 2));
        nested.put("alpha", true);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("temperature", 0.7);
        metadata.put("client", "web");
        metadata.put("nested", nested);
        metadata.put("none", null);
        metadata.put("ärger", "ü € 😀");
        return metadata;
    }

    /** {@link #unorderedMetadata()} as chat_app stores it: keys sorted at every level, no spaces. */
    static final String UNORDERED_METADATA_JSON =
            "{\"client\":\"web\",\"nested\":{\"alpha\":true,\"zeta\":[3,1,2]},\"none\":null,\"temperature\":0.7,"
                    + "\"ärger\":\"ü € 😀\"}";

    // --- pipelines

    PipelineStarted pipelineStarted(Map<String, Object> input) {
        return new PipelineStarted(pipelineId, userId, "summarise", input);
    }

    PipelineCompleted pipelineCompleted(Map<String, Object> output, long durationMs) {
        return new PipelineCompleted(pipelineId, output, durationMs);
    }

    PipelineStarted failingPipelineStarted() {
        return new PipelineStarted(failingPipelineId, userId, "transcribe", Map.of("url", "https://example.com/a.mp3"));
    }

    PipelineFailed failingPipelineFailed(String error, long durationMs) {
        return new PipelineFailed(failingPipelineId, error, durationMs);
    }

    // --- what chat_app has no column for

    /**
     * After the user registered and the sandbox session started, one event of every type that means nothing in
     * chat_app, each the next of its aggregate, in an order command-service could publish.
     */
    List<TranscriptEvent> eventsWithNothingInChatApp(Instant sessionStartedAt) {
        Instant expiresAt = sessionStartedAt.plusSeconds(SessionStory.TTL_SECONDS);
        UUID fileId = UUID.randomUUID();
        return List.of(
                sandbox.roleChanged(UserRole.ADMIN),
                new UserProfileChanged(userId, "Ada Lovelace", "https://example.com/ada.png"),
                sandbox.containerCreated(),
                sandbox.containerStarted(),
                sandbox.activated(),
                new ContainerExposed(sandbox.sessionId, sandbox.containerId, 32768, "http://127.0.0.1:32768"),
                new ContainerLabeled(sandbox.sessionId, sandbox.containerId, Map.of("app", "chat"), Map.of("v", 1)),
                new FileStored(sandbox.sessionId, fileId, "/workspace/app.py", "app.py", 120, "text/x-python"),
                new FileDeleted(sandbox.sessionId, fileId),
                sandbox.checkpoint(UUID.randomUUID(), 0),
                sandbox.tokenUsage(UUID.randomUUID(), null, "embedder", 50, 0),
                sandbox.extended(expiresAt, 600),
                sandbox.containerFailed("OOM killed"),
                sandbox.failed("OOM killed"),
                sandbox.containerStopped(),
                new ContainerDeleted(sandbox.sessionId, sandbox.containerId),
                sandbox.stopped(),
                sandbox.expired(expiresAt),
                new ProjectCreated(projectId, userId, "chat app", null, "web", Map.of(), Map.of(), sandbox.sessionId),
                new ProjectUpdated(projectId, "chat app", "with pipelines", "web", Map.of("k", "v"), Map.of()),
                new ProjectArchived(projectId),
                new ProjectDeleted(projectId),
                new TaskCreated(taskId, userId, "buy milk", null),
                new TaskRenamed(taskId, "buy oat milk"),
                new TaskDescribed(taskId, "2 litres"),
                new TaskCompleted(taskId),
                new TaskReopened(taskId),
                new TaskDeleted(taskId));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
