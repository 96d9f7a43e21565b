package dev.transcript.events.user;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** The user's display name and avatar, both replaced; null clears one. */
@EventVersion(1)
public record UserProfileChanged(UUID userId, @Nullable String name, @Nullable String avatarUrl) implements UserEvent {
}
