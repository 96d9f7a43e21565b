package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message in the session's conversation, number {@code messageNumber} (1, 2, 3 … without gaps).
 * v2 adds {@code attachments} and {@code metadata} (seed 001), {@code toolCalls} (seed 003; null when the
 * message called no tool) and {@code model} (the model that generated it; null for a human's message).
 * v1 events are read through {@link MessagePostedV1#upcast()}.
 */
@EventVersion(2)
public record MessagePosted(UUID sessionId, UUID conversationId, UUID messageId, int messageNumber,
                            MessageRole role, String content, int tokensUsed,
                            List<Map<String, Object>> attachments, Map<String, Object> metadata,
                            @Nullable List<Map<String, Object>> toolCalls, @Nullable String model)
        implements SessionEvent {
}
