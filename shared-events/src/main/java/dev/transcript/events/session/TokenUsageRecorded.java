package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One LLM charge. {@code chatMessageId} is null when the charge belongs to no single message;
 * {@code totalTokens} is always {@code inputTokens + outputTokens}.
 *
 * <p>v2 adds the prices per million tokens in force when the charge was recorded and the exact cost they
 * give, {@code (inputTokens × inputPricePerMillion + outputTokens × outputPricePerMillion) / 1,000,000}, in
 * {@code currency}. The three are null when the model had no price: the cost is unknown, not zero. A later
 * price change never touches a recorded charge. v1 events are read through {@link TokenUsageRecordedV1#upcast()}.
 */
@EventVersion(2)
public record TokenUsageRecorded(UUID sessionId, UUID conversationId, UUID usageId, @Nullable UUID chatMessageId,
                                 String model, int inputTokens, int outputTokens, int totalTokens,
                                 @Nullable BigDecimal inputPricePerMillion, @Nullable BigDecimal outputPricePerMillion,
                                 @Nullable BigDecimal cost, String currency)
        implements SessionEvent {

    /** The currency of charges recorded before prices existed, and of the default price list. */
    public static final String DEFAULT_CURRENCY = "USD";
}
