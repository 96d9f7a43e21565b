package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.time.Instant;
import java.util.UUID;

/** The session's expiry moved {@code ttlSeconds} later, to {@code expiresAt}. */
@EventVersion(1)
public record SessionExtended(UUID sessionId, long ttlSeconds, Instant expiresAt) implements SessionEvent {
}
