package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Superseded;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code transcript.session.MessagePosted.v1}, as published before messages carried attachments, metadata,
 * tool calls and a model. Still read from the event store and the topic; never written again.
 */
@EventVersion(1)
public record MessagePostedV1(UUID sessionId, UUID conversationId, UUID messageId, int messageNumber,
                              MessageRole role, String content, int tokensUsed)
        implements Superseded<MessagePosted> {

    /** A v1 message had none of the newer facts: no attachments, empty metadata, no tool calls, no model. */
    @Override
    public MessagePosted upcast() {
        return new MessagePosted(sessionId, conversationId, messageId, messageNumber, role, content, tokensUsed,
                List.of(), Map.of(), null, null);
    }

    @Override
    public String aggregateId() {
        return sessionId.toString();
    }
}
