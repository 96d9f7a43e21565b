package dev.transcript.events.task;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The task has this title now. */
@EventVersion(1)
public record TaskRenamed(UUID taskId, String title) implements TaskEvent {
}
