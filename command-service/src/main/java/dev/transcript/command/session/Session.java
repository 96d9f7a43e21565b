package dev.transcript.command.session;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.command.InvalidField;
import dev.transcript.command.NotFound;
import dev.transcript.command.chat.StartChatSession;
import dev.transcript.command.chat.StartedChatSession;
import dev.transcript.command.checkpoint.CreateCheckpoint;
import dev.transcript.command.conversation.PostMessage;
import dev.transcript.command.file.DeleteFile;
import dev.transcript.command.file.StoreFile;
import dev.transcript.command.pricing.Price;
import dev.transcript.command.pricing.PriceList;
import dev.transcript.command.conversation.PostedMessage;
import dev.transcript.command.conversation.TitleConversation;
import dev.transcript.command.usage.RecordTokenUsage;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One sandbox session with its container and its conversation. Everything scoped to a session lives here
 * so that it is strictly ordered. The state is only what the decisions need — a message count, not the
 * messages — so a snapshot stays a few hundred bytes however long the conversation grows.
 *
 * <p>A chat session (a chatbot thread) is a session with no container and no time limit: active from its
 * start, never expiring, refusing what only a sandbox has.
 */
@Aggregate(snapshotTriggerDefinition = "sessionSnapshotTrigger", cache = "sessionCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class Session {

    static final String EXPIRY = "session-expiry";

    @AggregateIdentifier
    private UUID sessionId;
    private UUID conversationId;
    private SessionStatus status;
    private boolean chat;
    /** Null for a chat session: it has no time limit. */
    private Instant expiresAt;
    private String containerId;
    private ContainerStatus container = ContainerStatus.NONE;
    private int messageCount;
    private String title;
    /** Ids only, not the files: enough to refuse a duplicate, an unknown and a second deletion. */
    private Set<UUID> files = new HashSet<>();
    private Set<UUID> deletedFiles = new HashSet<>();

    Session() {
        // Axon rebuilds the aggregate from its snapshot and events.
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    StartedSession handle(StartSession command, KnownUsers users, DeadlineManager deadlines, Clock clock) {
        requireKnown(users, command.userId());
        Instant expiry = clock.instant().plusSeconds(command.ttlSeconds());
        apply(new SessionStarted(command.sessionId(), command.userId(), command.conversationId(),
                command.ttlSeconds(), expiry));
        deadlines.schedule(expiry, EXPIRY, new ExpiryDue(expiry));
        return new StartedSession(command.sessionId(), command.conversationId(), expiry);
    }

    /** No deadline: a chat session ends when it is stopped, never by the clock. */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.ALWAYS)
    StartedChatSession handle(StartChatSession command, KnownUsers users) {
        requireKnown(users, command.userId());
        apply(new ChatSessionStarted(command.sessionId(), command.userId(), command.conversationId(), command.title()));
        return new StartedChatSession(command.sessionId(), command.conversationId());
    }

    private static void requireKnown(KnownUsers users, UUID userId) {
        if (!users.exists(userId)) {
            throw new NotFound("user " + userId + " does not exist");
        }
    }

    @CommandHandler
    void handle(CreateContainer command, ContainerNameClaims names, Clock clock) {
        requireSandbox("a chat session has no container");
        requireOpen(clock);
        if (container == ContainerStatus.DELETED) {
            throw new Conflict("session " + sessionId + " had a container, now deleted; a session gets only one");
        }
        if (container != ContainerStatus.NONE) {
            throw new Conflict("session " + sessionId + " has a container already");
        }
        if (!names.claim(command.containerName(), sessionId)) {
            throw new Conflict("container name " + command.containerName() + " is taken");
        }
        apply(new ContainerCreated(sessionId, command.containerId(), command.containerName(), command.image(),
                command.cpuLimit(), command.memoryLimitMb()));
    }

    @CommandHandler
    void handle(MarkContainerStarted command, Clock clock) {
        requireOpen(clock);
        requireContainer(ContainerStatus.CREATING);
        apply(new ContainerStarted(sessionId, containerId));
        if (status == SessionStatus.PENDING) {
            apply(new SessionActivated(sessionId));
        }
    }

    /** Accepted in any session status: the orchestrator tears containers down after a session ends. */
    @CommandHandler
    void handle(MarkContainerStopped command) {
        requireContainer(ContainerStatus.CREATING, ContainerStatus.RUNNING);
        apply(new ContainerStopped(sessionId, containerId));
    }

    @CommandHandler
    void handle(MarkContainerFailed command) {
        requireContainer(ContainerStatus.CREATING, ContainerStatus.RUNNING);
        apply(new ContainerFailed(sessionId, containerId, command.reason()));
        if (status.isOpen()) {
            apply(new SessionFailed(sessionId, command.reason()));
        }
    }

    /** Like a start, only while the session is open: an ended session's sandbox must not become reachable. */
    @CommandHandler
    void handle(ExposeContainer command, Clock clock) {
        requireOpen(clock);
        requireContainer(ContainerStatus.RUNNING);
        apply(new ContainerExposed(sessionId, containerId, command.port(), command.url()));
    }

    /** Accepted in any session status: labels are metadata, kept until the container is deleted. */
    @CommandHandler
    void handle(LabelContainer command) {
        requireExistingContainer();
        if (container == ContainerStatus.DELETED) {
            throw new Conflict("the container of session " + sessionId + " is deleted");
        }
        apply(new ContainerLabeled(sessionId, containerId, command.labels(), command.metadata()));
    }

    /** Accepted in any session status: the orchestrator cleans up after sessions end. */
    @CommandHandler
    void handle(DeleteContainer command) {
        requireExistingContainer();
        requireContainer(ContainerStatus.STOPPED, ContainerStatus.ERROR);
        apply(new ContainerDeleted(sessionId, containerId));
    }

    /**
     * Accepted in any session status, while the container exists: the orchestrator collects a sandbox's
     * files as it winds down.
     */
    @CommandHandler
    UUID handle(StoreFile command) {
        requireContainer(ContainerStatus.CREATING, ContainerStatus.RUNNING, ContainerStatus.STOPPED,
                ContainerStatus.ERROR);
        if (files.contains(command.fileId()) || deletedFiles.contains(command.fileId())) {
            throw new Conflict("session " + sessionId + " has a file " + command.fileId() + " already");
        }
        apply(new FileStored(sessionId, command.fileId(), command.filePath(), command.fileName(), command.fileSize(),
                command.mimeType()));
        return command.fileId();
    }

    /** Accepted in any session and container status: a file's record outlives its container. */
    @CommandHandler
    void handle(DeleteFile command) {
        if (deletedFiles.contains(command.fileId())) {
            throw new Conflict("file " + command.fileId() + " of session " + sessionId + " is deleted already");
        }
        if (!files.contains(command.fileId())) {
            throw new NotFound("session " + sessionId + " has no file " + command.fileId());
        }
        apply(new FileDeleted(sessionId, command.fileId()));
    }

    @CommandHandler
    void handle(StopSession command, Clock clock) {
        requireOpen(clock);
        apply(new SessionStopped(sessionId));
    }

    @CommandHandler
    void handle(ExtendSession command, DeadlineManager deadlines, Clock clock) {
        requireSandbox("a chat session has no time limit");
        requireOpen(clock);
        Instant expiry = expiresAt.plusSeconds(command.ttlSeconds());
        apply(new SessionExtended(sessionId, command.ttlSeconds(), expiry));
        deadlines.schedule(expiry, EXPIRY, new ExpiryDue(expiry));
    }

    @DeadlineHandler(deadlineName = EXPIRY)
    void expire(ExpiryDue due, DeadlineManager deadlines, Clock clock) {
        if (!status.isOpen() || !due.expiresAt().equals(expiresAt)) {
            return; // stopped, failed, or extended since this deadline was set
        }
        if (clock.instant().isBefore(expiresAt)) {
            deadlines.schedule(expiresAt, EXPIRY, due); // fired early (clock skew between nodes)
            return;
        }
        apply(new SessionExpired(sessionId, expiresAt));
    }

    @CommandHandler
    PostedMessage handle(PostMessage command, Clock clock) {
        requireOpen(clock);
        int number = messageCount + 1;
        UUID messageId = MessageIds.of(conversationId, number);
        apply(new MessagePosted(sessionId, conversationId, messageId, number, command.role(), command.content(),
                command.tokensUsed(), command.attachments(), command.metadata(), command.toolCalls(), command.model()));
        return new PostedMessage(messageId, number);
    }

    /** Accepted in any session status: a title is metadata, also of a conversation that has ended. */
    @CommandHandler
    void handle(TitleConversation command) {
        if (command.title().equals(title)) {
            return; // it has this title already: nothing happened
        }
        apply(new ConversationTitled(sessionId, conversationId, command.title()));
    }

    @CommandHandler
    UUID handle(CreateCheckpoint command, Clock clock) {
        requireSandbox("a chat session has no git repository to checkpoint");
        requireOpen(clock);
        if (command.messageNumber() < 1 || command.messageNumber() > messageCount) {
            throw new InvalidField("messageNumber", "the conversation has no message " + command.messageNumber()
                    + " (it has " + messageCount + ")");
        }
        apply(new CheckpointCreated(sessionId, command.checkpointId(), command.commitHash(), command.messageNumber(),
                command.description(), command.filesChanged()));
        return command.checkpointId();
    }

    /**
     * Accepted in any session status: a charge reported after a session ended must still be billed. It is
     * priced by the price list in force now, and the event keeps those prices and the cost, so replaying it
     * never re-prices it. A model with no price is recorded with its cost unknown (null), not refused.
     */
    @CommandHandler
    UUID handle(RecordTokenUsage command, PriceList prices) {
        requireTokenCount("inputTokens", command.inputTokens());
        requireTokenCount("outputTokens", command.outputTokens());
        if (command.chatMessageId() != null && !isOwnMessage(command.chatMessageId())) {
            throw new InvalidField("chatMessageId", "message " + command.chatMessageId()
                    + " is not a message of session " + sessionId);
        }
        Optional<Price> price = prices.priceOf(command.model());
        apply(new TokenUsageRecorded(sessionId, conversationId, command.usageId(), command.chatMessageId(),
                command.model(), command.inputTokens(), command.outputTokens(),
                command.inputTokens() + command.outputTokens(),
                price.map(Price::inputPerMillion).orElse(null), price.map(Price::outputPerMillion).orElse(null),
                price.map(known -> known.costOf(command.inputTokens(), command.outputTokens())).orElse(null),
                prices.currency()));
        return command.usageId();
    }

    /**
     * The aggregate keeps the bound the API validates too: the total must fit a 32-bit integer, and the price
     * list's limits assume no charge counts more, so the cost of every charge fits the read models.
     */
    private static void requireTokenCount(String field, int tokens) {
        if (tokens < 0 || tokens > RecordTokenUsage.MAX_TOKENS) {
            throw new InvalidField(field, field + " must be between 0 and " + RecordTokenUsage.MAX_TOKENS
                    + ", was " + tokens);
        }
    }

    private boolean isOwnMessage(UUID messageId) {
        int number = MessageIds.numberIn(messageId);
        return number >= 1 && number <= messageCount && MessageIds.of(conversationId, number).equals(messageId);
    }

    private void requireOpen(Clock clock) {
        if (!status.isOpen()) {
            throw new Conflict("session " + sessionId + " is " + status.wireName());
        }
        if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
            throw new Conflict("session " + sessionId + " expired at " + expiresAt);
        }
    }

    private void requireSandbox(String why) {
        if (chat) {
            throw new Conflict("session " + sessionId + " is a chat session: " + why);
        }
    }

    /** For commands addressed to the container itself (its labels, its deletion): none is a 404. */
    private void requireExistingContainer() {
        if (container == ContainerStatus.NONE) {
            throw new NotFound((chat ? "chat session " : "session ") + sessionId + " has no container");
        }
    }

    private void requireContainer(ContainerStatus... allowed) {
        for (ContainerStatus candidate : allowed) {
            if (container == candidate) {
                return;
            }
        }
        throw new Conflict(container == ContainerStatus.NONE
                ? "session " + sessionId + " has no container"
                : "the container of session " + sessionId + " is " + container.wireName());
    }

    @EventSourcingHandler
    void on(SessionStarted event) {
        sessionId = event.sessionId();
        conversationId = event.conversationId();
        status = SessionStatus.PENDING;
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(ChatSessionStarted event) {
        sessionId = event.sessionId();
        conversationId = event.conversationId();
        status = SessionStatus.ACTIVE;
        chat = true;
        title = event.title();
    }

    @EventSourcingHandler
    void on(SessionActivated event) {
        status = SessionStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(SessionExtended event) {
        expiresAt = event.expiresAt();
    }

    @EventSourcingHandler
    void on(SessionStopped event) {
        status = SessionStatus.STOPPED;
    }

    @EventSourcingHandler
    void on(SessionExpired event) {
        status = SessionStatus.EXPIRED;
    }

    @EventSourcingHandler
    void on(SessionFailed event) {
        status = SessionStatus.ERROR;
    }

    @EventSourcingHandler
    void on(ContainerCreated event) {
        containerId = event.containerId();
        container = ContainerStatus.CREATING;
    }

    @EventSourcingHandler
    void on(ContainerStarted event) {
        container = ContainerStatus.RUNNING;
    }

    @EventSourcingHandler
    void on(ContainerStopped event) {
        container = ContainerStatus.STOPPED;
    }

    @EventSourcingHandler
    void on(ContainerFailed event) {
        container = ContainerStatus.ERROR;
    }

    @EventSourcingHandler
    void on(ContainerDeleted event) {
        container = ContainerStatus.DELETED;
    }

    @EventSourcingHandler
    void on(FileStored event) {
        files.add(event.fileId());
    }

    @EventSourcingHandler
    void on(FileDeleted event) {
        files.remove(event.fileId());
        deletedFiles.add(event.fileId());
    }

    @EventSourcingHandler
    void on(MessagePosted event) {
        messageCount = event.messageNumber();
    }

    @EventSourcingHandler
    void on(ConversationTitled event) {
        title = event.title();
    }
}
