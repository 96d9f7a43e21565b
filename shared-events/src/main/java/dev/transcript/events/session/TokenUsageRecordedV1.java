package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;
import dev.transcript.events.Superseded;

import java.util.UUID;

/**
 * {@code transcript.session.TokenUsageRecorded.v1}, as published before charges carried their cost. Still read
 * from the event store and the topic; never written again.
 */
@EventVersion(1)
public record TokenUsageRecordedV1(UUID sessionId, UUID conversationId, UUID usageId, @Nullable UUID chatMessageId,
                                   String model, int inputTokens, int outputTokens, int totalTokens)
        implements Superseded<TokenUsageRecorded> {

    /** A v1 charge was recorded without a price: its cost is unknown, never guessed from today's prices. */
    @Override
    public TokenUsageRecorded upcast() {
        return new TokenUsageRecorded(sessionId, conversationId, usageId, chatMessageId, model, inputTokens,
                outputTokens, totalTokens, null, null, null, TokenUsageRecorded.DEFAULT_CURRENCY);
    }

    @Override
    public String aggregateId() {
        return sessionId.toString();
    }
}
