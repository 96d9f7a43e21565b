package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The account may no longer log in; its data stays. */
@EventVersion(1)
public record UserDeactivated(UUID userId) implements UserEvent {
}
