package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

@EventVersion(1)
public record ContainerStopped(UUID sessionId, String containerId) implements SessionEvent {
}
