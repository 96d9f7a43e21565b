package dev.transcript.command.idempotency;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Sends a command under the request's Idempotency-Key, or plainly when it has none; a command that lost a
 * race for its aggregate is sent once more.
 */
public final class IdempotentSend {

    private IdempotentSend() {
    }

    /**
     * A conflict means another command (on this instance or another) appended to the aggregate first. Its
     * unit of work rolled back, Idempotency-Key claim included, and Axon evicted the cached aggregate, so
     * the second try, whole and in a fresh transaction, decides on what the store now holds. A second
     * conflict in a row is the caller's to retry (409).
     */
    public static <R> R send(CommandGateway gateway, Object command) {
        Object message = keyed(command);
        try {
            return sendOnce(gateway, message);
        } catch (ConcurrencyException conflict) {
            return sendOnce(gateway, message);
        }
    }

    private static Object keyed(Object command) {
        return IdempotencyKey.ofCurrentRequest()
                .<Object>map(key -> GenericCommandMessage.asCommandMessage(command)
                        .andMetaData(IdempotentCommands.metaDataOf(key)))
                .orElse(command);
    }

    @SuppressWarnings("unchecked")
    private static <R> R sendOnce(CommandGateway gateway, Object message) {
        try {
            return gateway.sendAndWait(message);
        } catch (AlreadyAnswered answered) {
            return (R) answered.result();
        }
    }
}
