package dev.transcript.command.conversation;

import dev.transcript.events.session.MessageRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Posts to the conversation of a session; the session aggregate numbers the message. */
public record PostMessage(@TargetAggregateIdentifier UUID sessionId, MessageRole role, String content, int tokensUsed) {
}
