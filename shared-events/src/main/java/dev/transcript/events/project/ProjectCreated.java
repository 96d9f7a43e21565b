package dev.transcript.events.project;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.Map;
import java.util.UUID;

/** A project exists, active. sessionId names the sandbox session whose container runs it, if any. */
@EventVersion(1)
public record ProjectCreated(UUID projectId, UUID userId, String name, @Nullable String description, String type, Map<String, Object> settings, Map<String, Object> metadata, @Nullable UUID sessionId) implements ProjectEvent {
}
