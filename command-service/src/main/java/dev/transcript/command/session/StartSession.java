package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record StartSession(@TargetAggregateIdentifier UUID sessionId, UUID userId, UUID conversationId, long ttlSeconds) {
}
