package dev.transcript.events.user;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The login session ended (logout or revocation); its token no longer works. */
@EventVersion(1)
public record LoginClosed(UUID userId, UUID loginId) implements UserEvent {
}
