package dev.transcript.command.chat;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Starts a session that is only a conversation: no container, no time limit. {@code title} may be null. */
public record StartChatSession(@TargetAggregateIdentifier UUID sessionId, UUID userId, UUID conversationId,
                               String title) {
}
