package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** A session that is only a conversation: no container and no time limit. It is active at once, with its one conversation. */
@EventVersion(1)
public record ChatSessionStarted(UUID sessionId, UUID userId, UUID conversationId, @Nullable String title) implements SessionEvent {
}
