package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** A message in the session's conversation, number {@code messageNumber} (1, 2, 3 … without gaps). */
@EventVersion(1)
public record MessagePosted(UUID sessionId, UUID conversationId, UUID messageId, int messageNumber,
                            MessageRole role, String content, int tokensUsed) implements SessionEvent {
}
