package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The stopped or failed container was removed; nothing more happens to it. */
@EventVersion(1)
public record ContainerDeleted(UUID sessionId, String containerId) implements SessionEvent {
}
