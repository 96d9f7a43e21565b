package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The session's conversation has this title now (set or changed). */
@EventVersion(1)
public record ConversationTitled(UUID sessionId, UUID conversationId, String title) implements SessionEvent {
}
