package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

@EventVersion(1)
public record ContainerFailed(UUID sessionId, String containerId, String reason) implements SessionEvent {
}
