package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The session's container runs: the session is {@code active}. */
@EventVersion(1)
public record SessionActivated(UUID sessionId) implements SessionEvent {
}
