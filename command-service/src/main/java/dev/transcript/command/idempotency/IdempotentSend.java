package dev.transcript.command.idempotency;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;

/** Sends a command under the request's Idempotency-Key, or plainly when it has none. */
public final class IdempotentSend {

    private IdempotentSend() {
    }

    @SuppressWarnings("unchecked")
    public static <R> R send(CommandGateway gateway, Object command) {
        var key = IdempotencyKey.ofCurrentRequest();
        if (key.isEmpty()) {
            return gateway.sendAndWait(command);
        }
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(IdempotentCommands.metaDataOf(key.get())));
        } catch (AlreadyAnswered answered) {
            return (R) answered.result();
        }
    }
}
