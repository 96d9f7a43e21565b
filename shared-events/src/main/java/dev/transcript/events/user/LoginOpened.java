package dev.transcript.events.user;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.time.Instant;
import java.util.UUID;

/** A login session began. The bearer token travels only as its SHA-256 (64 lower-case hex digits); the time of the event is the user's last login. */
@EventVersion(1)
public record LoginOpened(UUID userId, UUID loginId, String tokenSha256, @Nullable String ipAddress, @Nullable String userAgent, Instant expiresAt) implements UserEvent {
}
