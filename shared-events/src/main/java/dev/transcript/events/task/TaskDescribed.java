package dev.transcript.events.task;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** The task has this description now; null clears it. */
@EventVersion(1)
public record TaskDescribed(UUID taskId, @Nullable String description) implements TaskEvent {
}
