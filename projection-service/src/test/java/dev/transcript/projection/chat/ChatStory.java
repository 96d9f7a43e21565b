package dev.transcript.projection.chat;

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
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.session.TokenUsageRecordedV1;
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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One chat user with fresh ids: a sandbox session ({@link SessionStory}'s) and a chat session, each with its
 * conversation, told as the events command-service appends. Every factory method returns the event record;
 * {@code EventLog} makes it a published CloudEvent.
 */
final class ChatStory {

    static final String CURRENCY = TokenUsageRecorded.DEFAULT_CURRENCY;
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    final SessionStory sandbox = new SessionStory();
    final UUID userId = sandbox.userId;
    final String email = sandbox.email;
    /** The chat session: another session of the same user, its ids (and message ids) made as the sandbox's. */
    private final SessionStory chat = sandbox.anotherSessionOfTheSameUser();
    final UUID chatSessionId = chat.sessionId;
    final UUID chatConversationId = chat.conversationId;

    // --- user

    UserRegistered userRegistered() {
        return sandbox.userRegistered();
    }

    UserDeactivated deactivated() {
        return new UserDeactivated(userId);
    }

    UserReactivated reactivated() {
        return new UserReactivated(userId);
    }

    // --- sessions and conversations

    ChatSessionStarted chatSessionStarted(String title) {
        return new ChatSessionStarted(chatSessionId, userId, chatConversationId, title);
    }

    ConversationTitled chatTitled(String title) {
        return new ConversationTitled(chatSessionId, chatConversationId, title);
    }

    SessionStopped chatStopped() {
        return new SessionStopped(chatSessionId);
    }

    // --- messages

    /** Message {@code number} of the chat session, as v2 publishes it; an assistant's names its model. */
    MessagePosted chatMessage(int number, MessageRole role, String content) {
        return new MessagePosted(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length(), List.of(), Map.of("client", "web", "n", number), null,
                role == MessageRole.USER ? null : "gpt-x");
    }

    /** Message {@code number} of the chat session, as it was published before v2. */
    MessagePostedV1 chatMessageV1(int number, MessageRole role, String content) {
        return new MessagePostedV1(chatSessionId, chatConversationId, chatMessageId(number), number, role, content,
                content.length());
    }

    /** The id command-service derives for message {@code number} of the chat conversation (grows with it). */
    UUID chatMessageId(int number) {
        return chat.messageId(number);
    }

    // --- charges

    /** A charge of the chat session at these prices per million tokens, costing what they give, exactly. */
    TokenUsageRecorded charge(UUID chatMessageId, String model, int input, int output, BigDecimal inputPrice,
                              BigDecimal outputPrice) {
        return new TokenUsageRecorded(chatSessionId, chatConversationId, UUID.randomUUID(), chatMessageId, model,
                input, output, input + output, inputPrice, outputPrice, cost(input, output, inputPrice, outputPrice),
                CURRENCY);
    }

    /** A charge of the chat session for a model without a price: its cost is unknown. */
    TokenUsageRecorded unpricedCharge(String model, int input, int output) {
        return new TokenUsageRecorded(chatSessionId, chatConversationId, UUID.randomUUID(), null, model, input,
                output, input + output, null, null, null, CURRENCY);
    }

    /** A charge of the chat session as it was published before v2, without prices or cost. */
    TokenUsageRecordedV1 chargeV1(UUID chatMessageId, String model, int input, int output) {
        return new TokenUsageRecordedV1(chatSessionId, chatConversationId, UUID.randomUUID(), chatMessageId, model,
                input, output, input + output);
    }

    /** (input × inputPrice + output × outputPrice) / 1,000,000, exactly, as the event contract says. */
    static BigDecimal cost(int input, int output, BigDecimal inputPrice, BigDecimal outputPrice) {
        return BigDecimal.valueOf(input).multiply(inputPrice)
                .add(BigDecimal.valueOf(output).multiply(outputPrice))
                .divide(MILLION);
    }

    // --- what chat has no column for

    /**
     * After the user registered and the sandbox session started, one event of every type that means nothing in
     * chat, each the next of its aggregate, in an order command-service could publish.
     */
    List<TranscriptEvent> eventsWithNothingInChat(Instant sessionStartedAt) {
        Instant expiresAt = sessionStartedAt.plusSeconds(SessionStory.TTL_SECONDS);
        UUID fileId = UUID.randomUUID();
        UUID loginId = UUID.randomUUID();
        UUID projectId = UUID.randomUUID();
        UUID taskId = UUID.randomUUID();
        return List.of(
                sandbox.roleChanged(UserRole.ADMIN),
                new UserProfileChanged(userId, "Ada Lovelace", "https://example.com/ada.png"),
                new LoginOpened(userId, loginId, "a".repeat(64), "203.0.113.7", "curl/8", expiresAt),
                new LoginTouched(userId, loginId),
                new LoginClosed(userId, loginId),
                sandbox.containerCreated(),
                sandbox.containerStarted(),
                sandbox.activated(),
                new ContainerExposed(sandbox.sessionId, sandbox.containerId, 32768, "http://127.0.0.1:32768"),
                new ContainerLabeled(sandbox.sessionId, sandbox.containerId, Map.of("app", "chat"), Map.of("v", 1)),
                new FileStored(sandbox.sessionId, fileId, "/workspace/app.py", "app.py", 120, "text/x-python"),
                new FileDeleted(sandbox.sessionId, fileId),
                sandbox.checkpoint(UUID.randomUUID(), 0),
                sandbox.extended(expiresAt, 600),
                sandbox.containerFailed("OOM killed"),
                sandbox.containerStopped(),
                new ContainerDeleted(sandbox.sessionId, sandbox.containerId),
                new ProjectCreated(projectId, userId, "chat app", null, "web", Map.of(), Map.of(), sandbox.sessionId),
                new ProjectUpdated(projectId, "chat app", "with history", "web", Map.of("k", "v"), Map.of()),
                new ProjectArchived(projectId),
                new ProjectDeleted(projectId),
                new TaskCreated(taskId, userId, "reply", null),
                new TaskRenamed(taskId, "reply soon"),
                new TaskDescribed(taskId, "to Bob"),
                new TaskCompleted(taskId),
                new TaskReopened(taskId),
                new TaskDeleted(taskId),
                new PipelineStarted(projectId, userId, "summarise", Map.of("text", "hello")),
                new PipelineCompleted(projectId, Map.of("summary", "hi"), 1200),
                new PipelineFailed(UUID.randomUUID(), "timed out", 30_000));
    }
}
