package dev.transcript.command.conversation;

import java.util.UUID;

/** What {@link PostMessage} answers. */
public record PostedMessage(UUID messageId, int messageNumber) {
}
