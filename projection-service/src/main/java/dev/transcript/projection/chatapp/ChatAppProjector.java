package dev.transcript.projection.chatapp;

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
import java.util.UUID;

/**
 * Keeps the {@code chat_app} tables (seed 002, an AI chat app's portable schema, plus its auth tables) as the
 * events say, on PostgreSQL or on MariaDB/MySQL ({@link ChatAppDatabase}). Decides only; {@link ChatAppWrites}
 * writes. The switches are exhaustive over the sealed event hierarchies, so a new event type does not compile
 * until this projector has decided what it means.
 *
 * <p>A chat session's id is the <em>session</em> id, not its conversation's: it is what the command API returns
 * and addresses ({@code /api/sessions/{id}/messages}, {@code /title}), the aggregate whose events fill the row
 * (the record key, the position the bookkeeping keeps), and every event that touches the row carries it. A session
 * has exactly one conversation, so nothing is lost.
 */
@Component
public class ChatAppProjector implements Projector {

    public static final String READ_MODEL = "chat_app";

    private final ChatAppWrites writes;

    ChatAppProjector(ChatAppWrites writes) {
        this.writes = writes;
    }

    @Override
    public String readModel() {
        return READ_MODEL;
    }

    @Override
    public Outcome apply(Envelope envelope) {
        return switch (envelope.event()) {
            case UserEvent event -> on(event, envelope.time());
            case SessionEvent event -> on(event, envelope.time());
            case PipelineEvent event -> on(event, envelope.time());
            case TaskEvent event -> on(event);
            case ProjectEvent event -> on(event);
            default -> Outcome.APPLIED; // not a current Transcript event (superseded ones arrive upcast)
        };
    }

    private Outcome on(UserEvent event, Instant at) {
        switch (event) {
            case UserRegistered registered -> writes.insertUser(registered, at);
            case UserDeactivated deactivated -> writes.activateUser(deactivated.userId(), false, at);
            case UserReactivated reactivated -> writes.activateUser(reactivated.userId(), true, at);
            // A login's events follow its user's registration in the same stream: the user is there.
            case LoginOpened opened -> writes.openLogin(opened, at);
            case LoginTouched touched -> writes.touchLogin(touched.loginId(), at);
            case LoginClosed closed -> writes.closeLogin(closed.loginId());
            // The auth tables keep no role and no profile.
            case UserRoleChanged ignored -> { }
            case UserProfileChanged ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(SessionEvent event, Instant at) {
        switch (event) {
            // Both kinds of session hold a conversation: both are chat sessions here. The user's events travel
            // in another partition and may not have been applied yet.
            case SessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertChatSession(started.sessionId(), started.userId(), null, at);
            }
            case ChatSessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertChatSession(started.sessionId(), started.userId(), started.title(), at);
            }
            // The title only: updated_at is the last message's time (seed 002).
            case ConversationTitled titled -> writes.titleChatSession(titled.sessionId(), titled.title());
            // Every role, system prompts included: seed 002's role is 'user', 'assistant' or 'system'.
            case MessagePosted posted -> writes.insertMessage(posted, at);
            // Seed 002 has no sandbox: no lifecycle, containers, files, checkpoints or charges.
            case SessionActivated ignored -> { }
            case SessionExtended ignored -> { }
            case SessionStopped ignored -> { }
            case SessionExpired ignored -> { }
            case SessionFailed ignored -> { }
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
            case TokenUsageRecorded ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(PipelineEvent event, Instant at) {
        switch (event) {
            case PipelineStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.startPipeline(started, at);
            }
            case PipelineCompleted completed -> writes.completePipeline(completed, at);
            case PipelineFailed failed -> writes.failPipeline(failed, at);
        }
        return Outcome.APPLIED;
    }

    /** Seed 002 has no tasks (seed 003's). */
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

    /** Seed 002 has no projects (seed 001's). */
    private Outcome on(ProjectEvent event) {
        switch (event) {
            case ProjectCreated ignored -> { }
            case ProjectUpdated ignored -> { }
            case ProjectArchived ignored -> { }
            case ProjectDeleted ignored -> { }
        }
        return Outcome.APPLIED;
    }

}
