package dev.transcript.events.task;

import dev.transcript.events.TranscriptEvent;

import java.util.UUID;

/** Facts about one to-do item (seed 003); the aggregate id is the task id. */
public sealed interface TaskEvent extends TranscriptEvent permits
        TaskCreated, TaskRenamed, TaskDescribed, TaskCompleted, TaskReopened, TaskDeleted {

    UUID taskId();

    @Override
    default String aggregateId() {
        return taskId().toString();
    }
}
