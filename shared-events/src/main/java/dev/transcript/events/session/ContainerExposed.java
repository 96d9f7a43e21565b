package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The running container answers on this host port, at this URL. */
@EventVersion(1)
public record ContainerExposed(UUID sessionId, String containerId, int assignedPort, String url) implements SessionEvent {
}
