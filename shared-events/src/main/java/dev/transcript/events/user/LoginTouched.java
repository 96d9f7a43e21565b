package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The login session was used; the time of the event is its last activity. */
@EventVersion(1)
public record LoginTouched(UUID userId, UUID loginId) implements UserEvent {
}
