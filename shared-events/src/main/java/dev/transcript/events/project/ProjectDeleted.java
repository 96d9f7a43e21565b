package dev.transcript.events.project;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The project is deleted (its record stays, with status deleted). */
@EventVersion(1)
public record ProjectDeleted(UUID projectId) implements ProjectEvent {
}
