package dev.transcript.events.task;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** A to-do item exists, not completed. */
@EventVersion(1)
public record TaskCreated(UUID taskId, UUID userId, String title, @Nullable String description) implements TaskEvent {
}
