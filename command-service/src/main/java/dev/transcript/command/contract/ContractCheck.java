package dev.transcript.command.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.command.InvalidField;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventContract;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every event an aggregate applies is checked against its published schema before it is appended: what
 * the contract forbids never reaches the store, the topic or a read model. Axon runs event-bus dispatch
 * interceptors as the command's unit of work prepares to commit, so a refusal rolls the whole command
 * back (no event, no idempotency key, the cached aggregate evicted) and answers 400 naming the field.
 */
final class ContractCheck implements MessageDispatchInterceptor<EventMessage<?>> {

    /** Event fields whose request field has another name; every other field has the same name in both. */
    private static final Map<String, String> REQUEST_FIELDS = Map.of(
            "assignedPort", "port",
            "tokenSha256", "token",
            "passwordHash", "password");

    private final ObjectMapper json;

    /** Loads every schema now, at start-up, rather than on the first command, and fails if one is missing. */
    ContractCheck(ObjectMapper json) {
        this.json = json;
        List<String> unchecked = EventCatalog.current().stream()
                .map(EventType::typeName)
                .filter(type -> !EventContract.typeNames().contains(type))
                .toList();
        if (!unchecked.isEmpty()) {
            throw new IllegalStateException("no schema to check " + unchecked);
        }
    }

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> {
            if (message.getPayload() instanceof TranscriptEvent event) {
                check(event);
            }
            return message;
        };
    }

    private void check(TranscriptEvent event) {
        JsonNode data = json.valueToTree(event);
        List<EventContract.Violation> violations = EventContract.violations(event.getClass(), data);
        if (!violations.isEmpty()) {
            throw refusal(violations.getFirst());
        }
    }

    static InvalidField refusal(EventContract.Violation violation) {
        String field = violation.field().isEmpty() ? "body" : REQUEST_FIELDS.getOrDefault(violation.field(),
                violation.field());
        boolean deeper = violation.pointer().length() > violation.field().length() + 1;
        return new InvalidField(field, deeper ? violation.message() + " (at " + violation.pointer() + ")"
                : violation.message());
    }
}
