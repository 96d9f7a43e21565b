package dev.transcript.command.usage;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** {@code chatMessageId} may be null: a charge that belongs to no single message. */
public record RecordTokenUsage(@TargetAggregateIdentifier UUID sessionId, UUID usageId, String model,
                               int inputTokens, int outputTokens, UUID chatMessageId) {

    /**
     * The most tokens of each kind one charge may count (the API refuses more): their sum fits the read model's
     * 32-bit integer, and the price list's limits are set against the dearest charge this allows.
     */
    public static final int MAX_TOKENS = 1_000_000_000;
}
