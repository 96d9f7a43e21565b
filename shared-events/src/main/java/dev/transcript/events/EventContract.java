package dev.transcript.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import dev.transcript.events.contract.ContractVocabulary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checked-in JSON Schemas as a check: what an event's data may be for every stage to carry it (the
 * event store, the topic, every read model). The command side runs it before each append; consumers and
 * tests may run it on anything they read. Each schema is loaded once, when this class is first used.
 */
public final class EventContract {

    /** The most an event's data may take as JSON in UTF-8, as Jackson writes it; every schema says so. */
    public static final int MAX_ENCODED_BYTES = 1_000_000;

    /** How deep free-form JSON (metadata, settings, tool calls…) may nest, the field itself being level 1. */
    public static final int MAX_DEPTH = 32;

    /** How many properties a free-form object (metadata, settings, labels…) may have at its top level. */
    public static final int MAX_PROPERTIES = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, JsonSchema> SCHEMAS = load();

    /**
     * One way the data breaks the contract.
     *
     * @param pointer where, as a JSON pointer into the event's data ({@code /metadata/a/0}); "" for the whole
     * @param message what is wrong there, for a person
     */
    public record Violation(String pointer, String message) {

        /** The event's top-level property the violation lies in, e.g. {@code metadata}; "" for the whole event. */
        public String field() {
            int end = pointer.indexOf('/', 1);
            String first = pointer.isEmpty() ? "" : pointer.substring(1, end < 0 ? pointer.length() : end);
            return first.replace("~1", "/").replace("~0", "~");
        }
    }

    private EventContract() {
    }

    /** Every type name with a schema; the first call loads them all (a few seconds on a busy host). */
    public static Set<String> typeNames() {
        return SCHEMAS.keySet();
    }

    /** Nothing when {@code data} is what the type's schema allows, else every violation, ordered by location. */
    public static List<Violation> violations(EventType type, JsonNode data) {
        return violations(type.typeName(), data);
    }

    public static List<Violation> violations(Class<? extends TranscriptEvent> recordClass, JsonNode data) {
        return violations(EventCatalog.typeOf(recordClass), data);
    }

    /** @throws IllegalArgumentException for a type name with no schema */
    public static List<Violation> violations(String typeName, JsonNode data) {
        JsonSchema schema = SCHEMAS.get(typeName);
        if (schema == null) {
            throw new IllegalArgumentException(typeName + " is not a Transcript event type");
        }
        return schema.validate(data).stream()
                .map(EventContract::violation)
                .sorted(Comparator.comparing(Violation::pointer).thenComparing(Violation::message))
                .toList();
    }

    private static Violation violation(ValidationMessage message) {
        String pointer = message.getInstanceLocation().toString();
        String text = message.getMessage();
        String located = pointer + ": ";
        return new Violation(pointer, text.startsWith(located) ? text.substring(located.length()) : text);
    }

    private static Map<String, JsonSchema> load() {
        JsonSchemaFactory factory = ContractVocabulary.schemaFactory();
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        return EventCatalog.all().stream().collect(Collectors.toUnmodifiableMap(EventType::typeName,
                type -> factory.getSchema(schemaOf(type), config)));
    }

    private static JsonNode schemaOf(EventType type) {
        try (InputStream in = EventContract.class.getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("no schema " + type.schemaResource());
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
