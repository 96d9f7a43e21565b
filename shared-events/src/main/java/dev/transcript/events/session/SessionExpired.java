package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.time.Instant;
import java.util.UUID;

/** The session reached its expiry while still open: {@code expired}, final. */
@EventVersion(1)
public record SessionExpired(UUID sessionId, Instant expiresAt) implements SessionEvent {
}
