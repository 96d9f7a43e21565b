package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The stored file was deleted (its record stays, marked deleted). */
@EventVersion(1)
public record FileDeleted(UUID sessionId, UUID fileId) implements SessionEvent {
}
