package dev.transcript.command.session;

import java.time.Instant;
import java.util.UUID;

/** What {@link StartSession} answers. */
public record StartedSession(UUID sessionId, UUID conversationId, Instant expiresAt) {
}
