package dev.transcript.command.task;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.Objects;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One to-do item. Title and description are kept to tell a change from a repetition. A deleted task
 * stays, refusing everything with 409, rather than vanishing into a 404.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class Task {

    @AggregateIdentifier
    private UUID taskId;
    private String title;
    private String description;
    private boolean completed;
    private boolean deleted;

    Task() {
        // Axon rebuilds the aggregate from its events.
    }

    @CommandHandler
    Task(CreateTask command, KnownUsers users) {
        if (!users.exists(command.userId())) {
            throw new NotFound("user " + command.userId() + " does not exist");
        }
        apply(new TaskCreated(command.taskId(), command.userId(), command.title(), command.description()));
    }

    @CommandHandler
    void handle(RenameTask command) {
        requireNotDeleted();
        // The title the task has already changes nothing, so it records nothing.
        if (!command.title().equals(title)) {
            apply(new TaskRenamed(taskId, command.title()));
        }
    }

    @CommandHandler
    void handle(DescribeTask command) {
        requireNotDeleted();
        if (!Objects.equals(command.description(), description)) {
            apply(new TaskDescribed(taskId, command.description()));
        }
    }

    @CommandHandler
    void handle(CompleteTask command) {
        requireNotDeleted();
        if (completed) {
            throw new Conflict("task " + taskId + " is completed already");
        }
        apply(new TaskCompleted(taskId));
    }

    @CommandHandler
    void handle(ReopenTask command) {
        requireNotDeleted();
        if (!completed) {
            throw new Conflict("task " + taskId + " is open");
        }
        apply(new TaskReopened(taskId));
    }

    @CommandHandler
    void handle(DeleteTask command) {
        requireNotDeleted();
        apply(new TaskDeleted(taskId));
    }

    private void requireNotDeleted() {
        if (deleted) {
            throw new Conflict("task " + taskId + " was deleted");
        }
    }

    @EventSourcingHandler
    void on(TaskCreated event) {
        taskId = event.taskId();
        title = event.title();
        description = event.description();
    }

    @EventSourcingHandler
    void on(TaskRenamed event) {
        title = event.title();
    }

    @EventSourcingHandler
    void on(TaskDescribed event) {
        description = event.description();
    }

    @EventSourcingHandler
    void on(TaskCompleted event) {
        completed = true;
    }

    @EventSourcingHandler
    void on(TaskReopened event) {
        completed = false;
    }

    @EventSourcingHandler
    void on(TaskDeleted event) {
        deleted = true;
    }
}
