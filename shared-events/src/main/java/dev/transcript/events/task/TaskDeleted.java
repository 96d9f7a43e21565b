package dev.transcript.events.task;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The task is gone; nothing more happens to it. */
@EventVersion(1)
public record TaskDeleted(UUID taskId) implements TaskEvent {
}
