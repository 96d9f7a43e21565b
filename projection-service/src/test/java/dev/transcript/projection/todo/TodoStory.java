package dev.transcript.projection.todo;

import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineStarted;
import dev.transcript.events.TranscriptEvent;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One user of the todo app with fresh ids: a sandbox session ({@link SessionStory}'s), a chat session, a task and
 * a project, told as the events command-service appends. Every factory method returns the event record;
 * {@code EventLog} makes it a published CloudEvent.
 */
final class TodoStory {

    static final String TASK_TITLE = "buy milk";

    final SessionStory sandbox = new SessionStory();
    final UUID userId = sandbox.userId;
    final String email = sandbox.email;
    final UUID chatSessionId = UUID.randomUUID();
    final UUID chatConversationId = UUID.randomUUID();
    final UUID taskId = UUID.randomUUID();
    final UUID projectId = UUID.randomUUID();
    final UUID loginId = UUID.randomUUID();

    // --- user

    UserRegistered userRegistered() {
        return sandbox.userRegistered();
    }

    // --- conversations

    /** The sandbox session, started at {@code at}; its conversation is {@code sandbox.conversationId}. */
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
    MessagePosted chatMessage(int number, MessageRole role, String content, List<Map<String, Object>> toolCalls) {
        return new MessagePosted(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length(), List.of(), Map.of("client", "web"), toolCalls,
                role == MessageRole.USER ? null : "gpt-x");
    }

    /** Message {@code number} of the chat session, as it was published before v2. */
    MessagePostedV1 chatMessageV1(int number, MessageRole role, String content) {
        return new MessagePostedV1(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length());
    }

    UUID chatMessageId(int number) {
        return UUID.nameUUIDFromBytes((chatConversationId + "#" + number).getBytes(StandardCharsets.UTF_8));
    }

    static List<Map<String, Object>> toolCalls(String tool, Map<String, Object> arguments) {
        return List.of(Map.of("id", "call_1", "type", "function",
                "function", Map.of("name", tool, "arguments", arguments)));
    }

    // --- tasks

    TaskCreated taskCreated(String description) {
        return new TaskCreated(taskId, userId, TASK_TITLE, description);
    }

    TaskRenamed taskRenamed(String title) {
        return new TaskRenamed(taskId, title);
    }

    TaskDescribed taskDescribed(String description) {
        return new TaskDescribed(taskId, description);
    }

    TaskCompleted taskCompleted() {
        return new TaskCompleted(taskId);
    }

    TaskReopened taskReopened() {
        return new TaskReopened(taskId);
    }

    TaskDeleted taskDeleted() {
        return new TaskDeleted(taskId);
    }

    // --- what todo has no column for

    /**
     * After the user registered and the sandbox session started, one event of every type that means nothing in
     * todo, each the next of its aggregate, in an order command-service could publish.
     */
    List<TranscriptEvent> eventsWithNothingInTodo(Instant sessionStartedAt) {
        Instant expiresAt = sessionStartedAt.plusSeconds(SessionStory.TTL_SECONDS);
        UUID fileId = UUID.randomUUID();
        return List.of(
                sandbox.roleChanged(UserRole.ADMIN),
                new UserProfileChanged(userId, "Ada Lovelace", "https://example.com/ada.png"),
                new LoginOpened(userId, loginId, "a".repeat(64), "203.0.113.7", "curl/8", expiresAt),
                new LoginTouched(userId, loginId),
                new LoginClosed(userId, loginId),
                new UserDeactivated(userId),
                new UserReactivated(userId),
                sandbox.containerCreated(),
                sandbox.containerStarted(),
                sandbox.activated(),
                new ContainerExposed(sandbox.sessionId, sandbox.containerId, 32768, "http://127.0.0.1:32768"),
                new ContainerLabeled(sandbox.sessionId, sandbox.containerId, Map.of("app", "todo"), Map.of("v", 1)),
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
                new ProjectCreated(projectId, userId, "todo app", null, "web", Map.of(), Map.of(), sandbox.sessionId),
                new ProjectUpdated(projectId, "todo app", "with a chatbot", "web", Map.of("k", "v"), Map.of()),
                new ProjectArchived(projectId),
                new ProjectDeleted(projectId),
                new PipelineStarted(projectId, userId, "summarise", Map.of("text", "hello")),
                new PipelineCompleted(projectId, Map.of("summary", "hi"), 1200),
                new PipelineFailed(UUID.randomUUID(), "timed out", 30_000));
    }
}
