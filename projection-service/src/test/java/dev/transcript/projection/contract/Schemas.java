package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The checked-in JSON Schema of every event type, read once from shared-events' classpath resources. */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> byTypeName = new LinkedHashMap<>();

    Schemas() {
        for (EventType type : EventCatalog.all()) {
            byTypeName.put(type.typeName(), read(type.schemaResource()));
        }
    }

    JsonNode of(String typeName) {
        JsonNode schema = byTypeName.get(typeName);
        if (schema == null) {
            throw new IllegalArgumentException("no schema for " + typeName);
        }
        return schema;
    }

    /** The schema of one property of a type. */
    JsonNode property(String typeName, String field) {
        return of(typeName).path("properties").path(field);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is not on the classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
