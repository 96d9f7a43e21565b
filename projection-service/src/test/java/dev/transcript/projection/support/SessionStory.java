package dev.transcript.projection.support;

import java.util.Map;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.session.TokenUsageRecordedV1;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * One user and one sandbox session of theirs, with fresh ids, told as the events command-service appends:
 * every factory method returns the event record, {@link EventLog} makes it a published CloudEvent.
 */
public final class SessionStory {

    public static final String PASSWORD_HASH = "$2a$04$abcdefghijklmnopqrstuuJ0kq3mZ1tXhB1m4c0o0Yl1bY2rG1dGm";
    public static final long TTL_SECONDS = 3600;

    public final UUID userId;
    public final String email;
    public final UUID sessionId;
    public final UUID conversationId;
    public final String containerId;
    public final String containerName;

    public SessionStory() {
        this(UUID.randomUUID());
    }

    /** A new session of an existing user. */
    public SessionStory(UUID userId) {
        this.userId = userId;
        this.email = "ada+" + userId.toString().substring(0, 8) + "@example.com";
        this.sessionId = UUID.randomUUID();
        this.conversationId = UUID.randomUUID();
        this.containerId = HexFormat.of().formatHex(sha256(sessionId.toString())); // Docker's 64 hex digits
        this.containerName = "sandbox-" + sessionId;
    }

    public SessionStory anotherSessionOfTheSameUser() {
        return new SessionStory(userId);
    }

    public UserRegistered userRegistered() {
        return new UserRegistered(userId, email, PASSWORD_HASH, UserRole.USER);
    }

    public UserRoleChanged roleChanged(UserRole role) {
        return new UserRoleChanged(userId, role);
    }

    /** Started at {@code at}: expires an hour later. */
    public SessionStarted sessionStarted(Instant at) {
        return new SessionStarted(sessionId, userId, conversationId, TTL_SECONDS, at.plusSeconds(TTL_SECONDS));
    }

    public SessionActivated activated() {
        return new SessionActivated(sessionId);
    }

    public SessionExtended extended(Instant previousExpiry, long ttlSeconds) {
        return new SessionExtended(sessionId, ttlSeconds, previousExpiry.plusSeconds(ttlSeconds));
    }

    public SessionStopped stopped() {
        return new SessionStopped(sessionId);
    }

    public SessionExpired expired(Instant expiresAt) {
        return new SessionExpired(sessionId, expiresAt);
    }

    public SessionFailed failed(String reason) {
        return new SessionFailed(sessionId, reason);
    }

    public ContainerCreated containerCreated() {
        return new ContainerCreated(sessionId, containerId, containerName, "python:3.12", new BigDecimal("1.50"), 2048);
    }

    public ContainerStarted containerStarted() {
        return new ContainerStarted(sessionId, containerId);
    }

    public ContainerStopped containerStopped() {
        return new ContainerStopped(sessionId, containerId);
    }

    public ContainerFailed containerFailed(String reason) {
        return new ContainerFailed(sessionId, containerId, reason);
    }

    public MessagePosted message(int number, MessageRole role, String content, int tokensUsed) {
        return new MessagePosted(sessionId, conversationId, messageId(number), number, role, content, tokensUsed, List.of(), Map.of(), null, null);
    }

    public CheckpointCreated checkpoint(UUID checkpointId, int messageNumber) {
        return new CheckpointCreated(sessionId, checkpointId, "a1b2c3d4e5", messageNumber, "scaffold", 7);
    }

    public TokenUsageRecorded tokenUsage(UUID usageId, UUID chatMessageId, String model, int input, int output) {
        return new TokenUsageRecorded(sessionId, conversationId, usageId, chatMessageId, model, input, output,
                input + output, null, null, null, TokenUsageRecorded.DEFAULT_CURRENCY);
    }

    /** A charge as it was published before v2: {@code transcript.session.TokenUsageRecorded.v1}, no prices. */
    public TokenUsageRecordedV1 tokenUsageV1(UUID usageId, UUID chatMessageId, String model, int input, int output) {
        return new TokenUsageRecordedV1(sessionId, conversationId, usageId, chatMessageId, model, input, output,
                input + output);
    }

    /** The id command-service derives for message {@code number} of this conversation (MessageIds: a UUIDv8). */
    public UUID messageId(int number) {
        ByteBuffer bits = ByteBuffer.wrap(sha256(conversationId + "#" + number));
        long high = ((long) number << 32) | (bits.getLong(0) & 0xFFFF_0FFFL) | 0x8000L;
        long low = (bits.getLong(8) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    /**
     * The whole session as command-service publishes it for the HTTP calls of its WholeSessionScenario: the
     * user registered, then the session started, container created and started (which activates the session),
     * three messages, a checkpoint, two charges, an extension, stop, container stopped. Users' and sessions'
     * events are separate aggregates, each numbered from 0.
     */
    public List<Published> wholeSession(EventLog log) {
        List<Published> events = new ArrayList<>();
        events.add(log.append(userRegistered()));
        Published started = log.append(sessionStarted(log.now().plusSeconds(1)));
        events.add(started);
        Instant expiresAt = ((SessionStarted) started.event()).expiresAt();
        events.add(log.append(containerCreated()));
        events.add(log.append(containerStarted()));
        events.add(log.append(activated()));
        events.add(log.append(message(1, MessageRole.USER, "hello", 3)));
        events.add(log.append(message(2, MessageRole.ASSISTANT, "hi, what shall we build?", 12)));
        events.add(log.append(message(3, MessageRole.USER, "a todo app", 5)));
        events.add(log.append(checkpoint(UUID.randomUUID(), 2)));
        events.add(log.append(tokenUsage(UUID.randomUUID(), messageId(2), "gpt-x", 100, 12)));
        events.add(log.append(tokenUsage(UUID.randomUUID(), null, "embedder", 50, 0)));
        events.add(log.append(extended(expiresAt, 600)));
        events.add(log.append(stopped()));
        events.add(log.append(containerStopped()));
        return events;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
