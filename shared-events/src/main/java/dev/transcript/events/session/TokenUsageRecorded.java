package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/**
 * One LLM charge. {@code chatMessageId} is null when the charge belongs to no single message;
 * {@code totalTokens} is always {@code inputTokens + outputTokens}.
 */
@EventVersion(1)
public record TokenUsageRecorded(UUID sessionId, UUID conversationId, UUID usageId, @Nullable UUID chatMessageId,
                                 String model, int inputTokens, int outputTokens, int totalTokens)
        implements SessionEvent {
}
