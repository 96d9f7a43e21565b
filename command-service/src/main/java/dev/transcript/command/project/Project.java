package dev.transcript.command.project;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectUpdated;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One app-builder project. Only its status decides anything; its fields are replaced wholesale, so they
 * are not kept. A deleted project stays, answering 409, rather than vanishing into a 404.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class Project {

    @AggregateIdentifier
    private UUID projectId;
    private ProjectStatus status;

    Project() {
        // Axon rebuilds the aggregate from its events.
    }

    @CommandHandler
    Project(CreateProject command, KnownUsers users, SandboxSessions sessions) {
        if (!users.exists(command.userId())) {
            throw new NotFound("user " + command.userId() + " does not exist");
        }
        if (command.sessionId() != null && !sessions.hasContainer(command.sessionId())) {
            throw new NotFound("session " + command.sessionId() + " has no container to run the project");
        }
        apply(new ProjectCreated(command.projectId(), command.userId(), command.name(), command.description(),
                command.type(), command.settings(), command.metadata(), command.sessionId()));
    }

    @CommandHandler
    void handle(UpdateProject command) {
        requireActive();
        apply(new ProjectUpdated(projectId, command.name(), command.description(), command.type(),
                command.settings(), command.metadata()));
    }

    @CommandHandler
    void handle(ArchiveProject command) {
        requireActive();
        apply(new ProjectArchived(projectId));
    }

    /** An archived project may be deleted; only a deleted one may not. */
    @CommandHandler
    void handle(DeleteProject command) {
        if (status == ProjectStatus.DELETED) {
            throw conflict();
        }
        apply(new ProjectDeleted(projectId));
    }

    private void requireActive() {
        if (status != ProjectStatus.ACTIVE) {
            throw conflict();
        }
    }

    private Conflict conflict() {
        return new Conflict("project " + projectId + " is " + status.wireName());
    }

    @EventSourcingHandler
    void on(ProjectCreated event) {
        projectId = event.projectId();
        status = ProjectStatus.ACTIVE;
    }

    @EventSourcingHandler
    void on(ProjectArchived event) {
        status = ProjectStatus.ARCHIVED;
    }

    @EventSourcingHandler
    void on(ProjectDeleted event) {
        status = ProjectStatus.DELETED;
    }
}
