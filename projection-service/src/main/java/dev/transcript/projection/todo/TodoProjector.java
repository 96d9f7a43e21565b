package dev.transcript.projection.todo;

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
 * Keeps the {@code todo} schema (seed 003: a todo app with a chatbot) as the events say. Decides only;
 * {@link TodoWrites} writes. The switches are exhaustive over the sealed event hierarchies, so a new event type
 * does not compile until this projector has decided what it means.
 */
@Component
public class TodoProjector implements Projector {

    public static final String READ_MODEL = "todo";

    private final TodoWrites writes;

    TodoProjector(TodoWrites writes) {
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
            case TaskEvent event -> on(event, envelope.time());
            case ProjectEvent event -> on(event);
            default -> Outcome.APPLIED; // not a current Transcript event (superseded ones arrive upcast)
        };
    }

    private Outcome on(UserEvent event, Instant at) {
        switch (event) {
            case UserRegistered registered -> writes.insertUser(registered, at);
            // Seed 003 keeps only the email and the password hash: no role, profile, activation or logins.
            case UserRoleChanged ignored -> { }
            case UserProfileChanged ignored -> { }
            case UserDeactivated ignored -> { }
            case UserReactivated ignored -> { }
            case LoginOpened ignored -> { }
            case LoginTouched ignored -> { }
            case LoginClosed ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(SessionEvent event, Instant at) {
        switch (event) {
            // Both kinds of session carry a conversation, and both reach the chatbot's threads. The user's
            // events travel in another partition and may not have been applied yet.
            case SessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertConversation(started.conversationId(), started.userId(), null, at);
            }
            case ChatSessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertConversation(started.conversationId(), started.userId(), started.title(), at);
            }
            case ConversationTitled titled -> writes.titleConversation(titled.conversationId(), titled.title(), at);
            case MessagePosted posted -> {
                // The CHECK allows user and agent only; a system prompt is no turn of the chatbot's thread.
                switch (posted.role()) {
                    case USER -> writes.insertMessage(posted, "user", at);
                    case ASSISTANT -> writes.insertMessage(posted, "agent", at);
                    case SYSTEM -> { }
                }
            }
            // Seed 003 has no sandbox: no lifecycle, containers, files, checkpoints or charges.
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

    private Outcome on(TaskEvent event, Instant at) {
        switch (event) {
            case TaskCreated created -> {
                if (!writes.userExists(created.userId())) {
                    return Outcome.waitForUser(created.userId());
                }
                writes.insertTask(created, at);
            }
            case TaskRenamed renamed -> writes.renameTask(renamed.taskId(), renamed.title(), at);
            case TaskDescribed described -> writes.describeTask(described.taskId(), described.description(), at);
            case TaskCompleted completed -> writes.completeTask(completed.taskId(), true, at);
            case TaskReopened reopened -> writes.completeTask(reopened.taskId(), false, at);
            // Seed 003 has no soft deletes.
            case TaskDeleted deleted -> writes.deleteTask(deleted.taskId());
        }
        return Outcome.APPLIED;
    }

    /** Seed 003 has no projects (they are the app builder's, seed 001). */
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
