package dev.transcript.command;

import dev.transcript.command.idempotency.IdempotentSend;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.stereotype.Component;

/**
 * The one way controllers send commands: synchronously, so that a refusal becomes the HTTP answer, and
 * under the request's Idempotency-Key when it has one.
 */
@Component
public class Commands {

    private final CommandGateway gateway;

    Commands(CommandGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R send(Object command) {
        return IdempotentSend.send(gateway, command);
    }
}
