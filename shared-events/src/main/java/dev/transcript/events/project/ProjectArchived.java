package dev.transcript.events.project;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The project is archived: kept, read-only. */
@EventVersion(1)
public record ProjectArchived(UUID projectId) implements ProjectEvent {
}
