package dev.transcript.command.conversation;

import dev.transcript.events.session.MessageRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Posts to the conversation of a session; the session aggregate numbers the message. {@code toolCalls} is
 * null when the message called no tool, {@code model} null for a message no model generated.
 */
public record PostMessage(@TargetAggregateIdentifier UUID sessionId, MessageRole role, String content, int tokensUsed,
                          List<Map<String, Object>> attachments, Map<String, Object> metadata,
                          List<Map<String, Object>> toolCalls, String model) {

    /** A plain message: no attachments, no metadata, no tool calls, no model. */
    public PostMessage(UUID sessionId, MessageRole role, String content, int tokensUsed) {
        this(sessionId, role, content, tokensUsed, List.of(), Map.of(), null, null);
    }
}
