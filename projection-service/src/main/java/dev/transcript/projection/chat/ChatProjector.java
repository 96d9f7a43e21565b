package dev.transcript.projection.chat;

import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineEvent;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectEvent;
import dev.transcript.events.project.ProjectUpdated;
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
import dev.transcript.events.session.SessionEvent;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskEvent;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserEvent;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRoleChanged;
import dev.transcript.projection.stream.Envelope;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.Projector;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps the {@code chat} schema (seed 004) and the {@code auth.users} it assumes as the events say, writing as
 * the chat writer role ({@link #role()}): row-level security is FORCEd on the chat tables and the writer's policy
 * is what lets its rows in. Decides only; {@link ChatWrites} writes. The switches are exhaustive over the sealed
 * event hierarchies, so a new event type does not compile until this projector has decided what it means.
 */
@Component
public class ChatProjector implements Projector {

    public static final String READ_MODEL = "chat";

    private final ChatWrites writes;
    private final ChatRoles roles;

    ChatProjector(ChatWrites writes, ChatRoles roles) {
        this.writes = writes;
        this.roles = roles;
    }

    @Override
    public String readModel() {
        return READ_MODEL;
    }

    @Override
    public Optional<String> role() {
        return Optional.of(roles.writer());
    }

    @Override
    public Outcome apply(Envelope envelope) {
        return switch (envelope.event()) {
            case UserEvent event -> on(event, envelope.time());
            case SessionEvent event -> on(event, envelope.time());
            case TaskEvent event -> on(event);
            case ProjectEvent event -> on(event);
            case PipelineEvent event -> on(event);
            default -> Outcome.APPLIED; // not a current Transcript event (superseded ones arrive upcast)
        };
    }

    private Outcome on(UserEvent event, Instant at) {
        switch (event) {
            case UserRegistered registered -> writes.insertUser(registered, at);
            case UserDeactivated deactivated -> writes.setUserActive(deactivated.userId(), false, at);
            case UserReactivated reactivated -> writes.setUserActive(reactivated.userId(), true, at);
            // auth.users keeps the email and whether the account is active: no role, profile or logins.
            case UserRoleChanged ignored -> { }
            case UserProfileChanged ignored -> { }
            case LoginOpened ignored -> { }
            case LoginTouched ignored -> { }
            case LoginClosed ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(SessionEvent event, Instant at) {
        switch (event) {
            // Both kinds of session carry one conversation. The user's events travel in another partition and
            // may not have been applied yet.
            case SessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertConversation(started.sessionId(), started.conversationId(), started.userId(), null,
                        ChatWrites.SANDBOX, at);
            }
            case ChatSessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertConversation(started.sessionId(), started.conversationId(), started.userId(),
                        started.title(), ChatWrites.CHAT, at);
            }
            case ConversationTitled titled -> writes.titleConversation(titled.conversationId(), titled.title(), at);
            // A session that has ended takes no more messages: its conversation is closed.
            case SessionStopped stopped -> writes.closeConversation(stopped.sessionId(), at);
            case SessionExpired expired -> writes.closeConversation(expired.sessionId(), at);
            case SessionFailed failed -> writes.closeConversation(failed.sessionId(), at);
            case MessagePosted posted -> writes.insertMessage(posted, at);
            case TokenUsageRecorded usage -> writes.insertUsage(usage, at);
            // The chat schema has no sandbox: no activation, expiry, containers, files or checkpoints.
            case SessionActivated ignored -> { }
            case SessionExtended ignored -> { }
            case ContainerCreated ignored -> { }
            case ContainerStarted ignored -> { }
            case ContainerExposed ignored -> { }
            case ContainerLabeled ignored -> { }
            case ContainerStopped ignored -> { }
            case ContainerFailed ignored -> { }
            case ContainerDeleted ignored -> { }
            case FileStored ignored -> { }
            case FileDeleted ignored -> { }
            case CheckpointCreated ignored -> { }
        }
        return Outcome.APPLIED;
    }

    /** Seed 004 has no tasks (they are the todo app's, seed 003). */
    private Outcome on(TaskEvent event) {
        switch (event) {
            case TaskCreated ignored -> { }
            case TaskRenamed ignored -> { }
            case TaskDescribed ignored -> { }
            case TaskCompleted ignored -> { }
            case TaskReopened ignored -> { }
            case TaskDeleted ignored -> { }
        }
        return Outcome.APPLIED;
    }

    /** Seed 004 has no projects (they are the app builder's, seed 001). */
    private Outcome on(ProjectEvent event) {
        switch (event) {
            case ProjectCreated ignored -> { }
            case ProjectUpdated ignored -> { }
            case ProjectArchived ignored -> { }
            case ProjectDeleted ignored -> { }
        }
        return Outcome.APPLIED;
    }

    /** Seed 004 has no pipelines (they are seed 002's). */
    private Outcome on(PipelineEvent event) {
        switch (event) {
            case PipelineStarted ignored -> { }
            case PipelineCompleted ignored -> { }
            case PipelineFailed ignored -> { }
        }
        return Outcome.APPLIED;
    }

}
