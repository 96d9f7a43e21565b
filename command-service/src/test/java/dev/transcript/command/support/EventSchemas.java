package dev.transcript.command.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;

import java.io.InputStream;
import java.util.Set;

/** Validates a CloudEvent's data against the JSON Schema that shared-events publishes for its type. */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    private EventSchemas() {
    }

    public static Set<ValidationMessage> violations(String typeName, JsonNode data) {
        EventType type = EventCatalog.byTypeName(typeName)
                .orElseThrow(() -> new AssertionError("unknown event type " + typeName));
        InputStream schema = EventSchemas.class.getResourceAsStream(type.schemaResource());
        JsonSchema validator = FACTORY.getSchema(schema, CONFIG);
        return validator.validate(data);
    }
}
