package dev.transcript.command.chat;

import java.util.UUID;

/** What {@link StartChatSession} answers. */
public record StartedChatSession(UUID sessionId, UUID conversationId) {
}
