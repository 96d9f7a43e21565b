package dev.transcript.events.task;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The task is done. */
@EventVersion(1)
public record TaskCompleted(UUID taskId) implements TaskEvent {
}
