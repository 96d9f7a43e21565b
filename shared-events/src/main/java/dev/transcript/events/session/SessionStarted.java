package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.time.Instant;
import java.util.UUID;

/** A session exists, {@code pending}, with its one conversation; it expires at {@code expiresAt}. */
@EventVersion(1)
public record SessionStarted(UUID sessionId, UUID userId, UUID conversationId, long ttlSeconds, Instant expiresAt)
        implements SessionEvent {
}
