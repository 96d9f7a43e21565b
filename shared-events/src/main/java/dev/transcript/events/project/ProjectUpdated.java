package dev.transcript.events.project;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.Map;
import java.util.UUID;

/** The project's name, description, type, settings and metadata, all replaced. */
@EventVersion(1)
public record ProjectUpdated(UUID projectId, String name, @Nullable String description, String type, Map<String, Object> settings, Map<String, Object> metadata) implements ProjectEvent {
}
