package dev.transcript.command.conversation;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Sets or changes the title of a session's conversation; {@code title} comes stripped, 1 to 255 characters. */
public record TitleConversation(@TargetAggregateIdentifier UUID sessionId, String title) {
}
