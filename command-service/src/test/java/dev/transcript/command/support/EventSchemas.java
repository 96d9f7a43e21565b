package dev.transcript.command.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.EventContract;

import java.util.List;

/** Validates a CloudEvent's data against the JSON Schema that shared-events publishes for its type. */
public final class EventSchemas {

    private EventSchemas() {
    }

    public static List<EventContract.Violation> violations(String typeName, JsonNode data) {
        return EventContract.violations(typeName, data);
    }
}
