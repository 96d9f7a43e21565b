package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** A deactivated account may log in again. */
@EventVersion(1)
public record UserReactivated(UUID userId) implements UserEvent {
}
