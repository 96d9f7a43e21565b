package dev.transcript.projection.support;

import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectUpdated;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events seed 001's builder read model is made of, for one user: the user's profile and logins, a sandbox
 * session of theirs ({@link SessionStory}) with its container, files and messages, a chat-only session, and
 * projects. Every factory method returns the event record; {@link EventLog} makes it a published CloudEvent.
 */
public final class BuilderStory {

    public static final String IP_ADDRESS = "203.0.113.7";
    public static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) transcript-test";

    /** The user and their sandbox session. */
    public final SessionStory session;
    public final UUID userId;
    public final String email;
    public final UUID sessionId;
    public final UUID conversationId;
    public final String containerId;
    public final String containerName;
    /** A login session of the user, and the SHA-256 of its bearer token. */
    public final UUID loginId;
    public final String tokenSha256;
    /** A chat-only session of the user: a conversation, never a container. */
    public final UUID chatSessionId;
    public final UUID chatConversationId;

    public BuilderStory() {
        this(new SessionStory());
    }

    public BuilderStory(SessionStory session) {
        this.session = session;
        this.userId = session.userId;
        this.email = session.email;
        this.sessionId = session.sessionId;
        this.conversationId = session.conversationId;
        this.containerId = session.containerId;
        this.containerName = session.containerName;
        this.loginId = UUID.randomUUID();
        this.tokenSha256 = HexFormat.of().formatHex(SessionStory.sha256("token of " + loginId));
        this.chatSessionId = UUID.randomUUID();
        this.chatConversationId = UUID.randomUUID();
    }

    /** Another sandbox session (and container) of the same user. */
    public BuilderStory anotherSessionOfTheSameUser() {
        return new BuilderStory(session.anotherSessionOfTheSameUser());
    }

    // --- the user ---

    public UserRegistered userRegistered() {
        return session.userRegistered();
    }

    public UserProfileChanged profileChanged(String name, String avatarUrl) {
        return new UserProfileChanged(userId, name, avatarUrl);
    }

    public UserDeactivated deactivated() {
        return new UserDeactivated(userId);
    }

    public UserReactivated reactivated() {
        return new UserReactivated(userId);
    }

    public LoginOpened loginOpened(Instant expiresAt) {
        return new LoginOpened(userId, loginId, tokenSha256, IP_ADDRESS, USER_AGENT, expiresAt);
    }

    public LoginTouched loginTouched() {
        return new LoginTouched(userId, loginId);
    }

    public LoginClosed loginClosed() {
        return new LoginClosed(userId, loginId);
    }

    // --- the sandbox session ---

    public SessionStarted sessionStarted(Instant at) {
        return session.sessionStarted(at);
    }

    public ContainerCreated containerCreated() {
        return session.containerCreated();
    }

    public ContainerStarted containerStarted() {
        return session.containerStarted();
    }

    public ContainerStopped containerStopped() {
        return session.containerStopped();
    }

    public ContainerFailed containerFailed(String reason) {
        return session.containerFailed(reason);
    }

    public ContainerExposed containerExposed(int port, String url) {
        return new ContainerExposed(sessionId, containerId, port, url);
    }

    public ContainerLabeled containerLabeled(Map<String, String> labels, Map<String, Object> metadata) {
        return new ContainerLabeled(sessionId, containerId, labels, metadata);
    }

    public ContainerDeleted containerDeleted() {
        return new ContainerDeleted(sessionId, containerId);
    }

    public FileStored fileStored(UUID fileId, String filePath, long size, String mimeType) {
        return new FileStored(sessionId, fileId, filePath, filePath.substring(filePath.lastIndexOf('/') + 1), size,
                mimeType);
    }

    public FileDeleted fileDeleted(UUID fileId) {
        return new FileDeleted(sessionId, fileId);
    }

    /** Message {@code number} of the sandbox session's conversation, v2, with attachments and metadata. */
    public MessagePosted message(int number, MessageRole role, String content, List<Map<String, Object>> attachments,
                                 Map<String, Object> metadata) {
        return new MessagePosted(sessionId, conversationId, session.messageId(number), number, role, content, 5,
                attachments, metadata, null, role == MessageRole.ASSISTANT ? "gpt-x" : null);
    }

    public MessagePosted message(int number, MessageRole role, String content) {
        return message(number, role, content, List.of(), Map.of());
    }

    /** Message {@code number} as published before v2: {@code transcript.session.MessagePosted.v1}. */
    public MessagePostedV1 messageV1(int number, MessageRole role, String content) {
        return new MessagePostedV1(sessionId, conversationId, session.messageId(number), number, role, content, 5);
    }

    public UUID messageId(int number) {
        return session.messageId(number);
    }

    // --- the chat-only session ---

    public ChatSessionStarted chatSessionStarted(String title) {
        return new ChatSessionStarted(chatSessionId, userId, chatConversationId, title);
    }

    public MessagePosted chatMessage(UUID messageId, int number, MessageRole role, String content) {
        return new MessagePosted(chatSessionId, chatConversationId, messageId, number, role, content, 5, List.of(),
                Map.of(), null, null);
    }

    // --- projects ---

    /** A project of the user, run by the sandbox session's container when {@code inSession}. */
    public ProjectCreated projectCreated(UUID projectId, String name, boolean inSession) {
        return new ProjectCreated(projectId, userId, name, "the " + name + " app", "nextjs",
                Map.of("framework", "next", "port", 3000), Map.of("template", "starter"),
                inSession ? sessionId : null);
    }

    public ProjectUpdated projectUpdated(UUID projectId, String name, String description, String type,
                                         Map<String, Object> settings, Map<String, Object> metadata) {
        return new ProjectUpdated(projectId, name, description, type, settings, metadata);
    }

    public ProjectArchived projectArchived(UUID projectId) {
        return new ProjectArchived(projectId);
    }

    public ProjectDeleted projectDeleted(UUID projectId) {
        return new ProjectDeleted(projectId);
    }
}
