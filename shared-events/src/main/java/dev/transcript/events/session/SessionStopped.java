package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The session was stopped on request: {@code stopped}, final. */
@EventVersion(1)
public record SessionStopped(UUID sessionId) implements SessionEvent {
}
