package dev.transcript.projection.builder;

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
 * Keeps the {@code builder} schema (seed 001) as the events say. Decides only; {@link BuilderWrites} writes.
 * The switches are exhaustive over the sealed event hierarchies, so a new event type does not compile until
 * this projector has decided what it means.
 *
 * <p>A session's container is the containers row whose id is the session id (a session has one container for
 * life). Its owner and conversation come from {@code projection.session_owner}, written when the session
 * starts. Rows that point at another aggregate's row (a container's or project's user, a project's container)
 * wait, parked, until that row is projected.
 */
@Component
public class BuilderProjector implements Projector {

    public static final String READ_MODEL = "builder";

    private final BuilderWrites writes;

    BuilderProjector(BuilderWrites writes) {
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
            case ProjectEvent event -> on(event, envelope.time());
            case TaskEvent event -> on(event);
            default -> Outcome.APPLIED; // not one of the four aggregates: nothing in this schema
        };
    }

    private Outcome on(UserEvent event, Instant at) {
        switch (event) {
            case UserRegistered registered -> writes.insertUser(registered, at);
            case UserProfileChanged changed -> writes.changeProfile(changed, at);
            case UserDeactivated deactivated -> writes.setUserActive(deactivated.userId(), false, at);
            case UserReactivated reactivated -> writes.setUserActive(reactivated.userId(), true, at);
            case LoginOpened opened -> writes.openLogin(opened, at);
            case LoginTouched touched -> writes.touchLogin(touched.loginId(), at);
            case LoginClosed closed -> writes.closeLogin(closed.loginId());
            // Seed 001's users have no role column.
            case UserRoleChanged ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(SessionEvent event, Instant at) {
        switch (event) {
            // Containers need the session's user and chat messages its conversation: remembered, no builder row.
            case SessionStarted started ->
                    writes.rememberOwner(started.sessionId(), started.userId(), started.conversationId());
            case ChatSessionStarted started ->
                    writes.rememberOwner(started.sessionId(), started.userId(), started.conversationId());
            case ContainerCreated created -> {
                return containerCreated(created, at);
            }
            case ContainerStarted started -> writes.containerStarted(started.sessionId(), at);
            // Seed 001 has no error status: a failed container is stopped, like a stopped one.
            case ContainerStopped stopped -> writes.containerStopped(stopped.sessionId(), at);
            case ContainerFailed failed -> writes.containerStopped(failed.sessionId(), at);
            case ContainerExposed exposed -> writes.containerExposed(exposed);
            case ContainerLabeled labeled -> writes.containerLabeled(labeled);
            case ContainerDeleted deleted -> writes.containerDeleted(deleted.sessionId());
            case FileStored stored -> writes.insertFile(stored, at);
            case FileDeleted deleted -> writes.fileDeleted(deleted.fileId());
            case MessagePosted posted -> writes.insertMessage(posted, at);
            // Seed 001 has no session lifecycle, titles, checkpoints or token usage.
            case SessionActivated ignored -> { }
            case SessionExtended ignored -> { }
            case SessionStopped ignored -> { }
            case SessionExpired ignored -> { }
            case SessionFailed ignored -> { }
            case ConversationTitled ignored -> { }
            case CheckpointCreated ignored -> { }
            case TokenUsageRecorded ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome containerCreated(ContainerCreated created, Instant at) {
        Optional<BuilderWrites.Owner> owner = writes.ownerOf(created.sessionId());
        if (owner.isEmpty()) {
            return new Outcome.WaitFor(null, "session " + created.sessionId() + " has no owner: its start was not applied");
        }
        // The user's events travel in another partition and may not have been applied yet.
        if (!owner.get().userProjected()) {
            return Outcome.waitForUser(owner.get().userId());
        }
        writes.insertContainer(created, owner.get(), at);
        return Outcome.APPLIED;
    }

    private Outcome on(ProjectEvent event, Instant at) {
        switch (event) {
            case ProjectCreated created -> {
                BuilderWrites.Parents parents = writes.parentsOf(created.userId(), created.sessionId());
                if (!parents.userProjected()) {
                    return Outcome.waitForUser(created.userId());
                }
                // The session's container comes from the session's partition.
                if (created.sessionId() != null && !parents.containerProjected()) {
                    return new Outcome.WaitFor(created.sessionId().toString(),
                            "container of session " + created.sessionId() + " not projected yet");
                }
                writes.insertProject(created, at);
            }
            case ProjectUpdated updated -> writes.updateProject(updated);
            case ProjectArchived archived -> writes.setProjectStatus(archived.projectId(), "archived");
            // Soft: the seed's project statuses include deleted.
            case ProjectDeleted deleted -> writes.setProjectStatus(deleted.projectId(), "deleted");
        }
        return Outcome.APPLIED;
    }

    /** Seed 001 has no tasks. */
    private static Outcome on(TaskEvent event) {
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

}
