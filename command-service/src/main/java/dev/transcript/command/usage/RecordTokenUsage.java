package dev.transcript.command.usage;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** {@code chatMessageId} may be null: a charge that belongs to no single message. */
public record RecordTokenUsage(@TargetAggregateIdentifier UUID sessionId, UUID usageId, String model,
                               int inputTokens, int outputTokens, UUID chatMessageId) {
}
