package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** A user account exists. The password travels only as its bcrypt hash. */
@EventVersion(1)
public record UserRegistered(UUID userId, String email, String passwordHash, UserRole role) implements UserEvent {
}
