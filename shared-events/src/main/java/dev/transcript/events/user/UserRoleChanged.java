package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

@EventVersion(1)
public record UserRoleChanged(UUID userId, UserRole role) implements UserEvent {
}
