package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.Map;
import java.util.UUID;

/** The container's labels (string to string) and metadata (any JSON object), both replaced. */
@EventVersion(1)
public record ContainerLabeled(UUID sessionId, String containerId, Map<String, String> labels, Map<String, Object> metadata) implements SessionEvent {
}
