package dev.transcript.events.task;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The completed task is open again. */
@EventVersion(1)
public record TaskReopened(UUID taskId) implements TaskEvent {
}
