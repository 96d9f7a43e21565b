package dev.transcript.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schemas are the contract. A record whose JSON shape drifts from its checked-in
 * schema (a field added, removed, renamed, retyped, made nullable) fails here: change the shape only
 * with a new {@link EventVersion}, a new schema file and an upcaster.
 */
class EventSchemaContractTest {

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static List<EventType> eventTypes() {
        return EventCatalog.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void every_record_component_is_a_schema_property_of_the_same_json_type(EventType type) throws IOException {
        JsonNode schema = schemaOf(type);

        assertThat(shapeOfSchema(schema)).isEqualTo(shapeOfRecord(type.recordClass()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void every_property_is_required_and_no_other_is_allowed(EventType type) throws IOException {
        JsonNode schema = schemaOf(type);

        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(names(schema.path("required"))).isEqualTo(names(schema.path("properties").fieldNames()));
        assertThat(schema.path("title").asText()).isEqualTo(type.typeName());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void a_superseded_version_upcasts_to_a_current_event_of_the_same_name(EventType type) throws Exception {
        if (type.current()) {
            assertThat(type.recordClass()).isNotNull().matches(c -> !Superseded.class.isAssignableFrom(c));
            return;
        }
        TranscriptEvent old = SampleEvents.of(type.recordClass());
        TranscriptEvent upcast = ((Superseded<?>) old).upcast();

        EventType now = EventCatalog.typeOf(upcast.getClass());
        assertThat(now.current()).isTrue();
        assertThat(now.typeName()).isEqualTo(type.typeName().replaceFirst("\\.v\\d+$", ".v" + now.version()));
        assertThat(now.version()).isGreaterThan(type.version());
        assertThat(upcast.aggregateId()).isEqualTo(old.aggregateId());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void enum_values_match_the_java_enum(EventType type) throws IOException {
        JsonNode properties = schemaOf(type).path("properties");
        for (RecordComponent component : type.recordClass().getRecordComponents()) {
            if (component.getType().isEnum()) {
                assertThat(names(properties.path(component.getName()).path("enum")))
                        .as(component.getName())
                        .isEqualTo(new TreeSet<>(wireValues(component.getType())));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void a_serialized_record_validates_against_its_schema(EventType type) throws Exception {
        TranscriptEvent example = SampleEvents.of(type.recordClass());
        JsonNode json = JSON.valueToTree(example);

        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schemaOf(type), SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());

        assertThat(schema.validate(json)).isEmpty();
        assertThat(JSON.treeToValue(json, type.recordClass())).isEqualTo(example);
    }

    /** The README's event catalogue is the analytics teams' index: a type missing there is a type nobody finds. */
    @org.junit.jupiter.api.Test
    void the_readme_catalogue_lists_every_type_with_its_schema() throws IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (EventType type : EventCatalog.all()) {
            assertThat(readme).as(type.typeName())
                    .contains("| `" + type.typeName() + "`")
                    .contains("(shared-events/src/main/resources" + type.schemaResource() + ")");
        }
    }

    static JsonNode schemaOf(EventType type) throws IOException {
        try (InputStream in = EventSchemaContractTest.class.getResourceAsStream(type.schemaResource())) {
            assertThat(in).as("schema " + type.schemaResource()).isNotNull();
            return JSON.readTree(in);
        }
    }

    /** property name → JSON type(s), as the schema publishes them. */
    private static Map<String, String> shapeOfSchema(JsonNode schema) {
        Map<String, String> shape = new LinkedHashMap<>();
        schema.path("properties").fields().forEachRemaining(property -> {
            JsonNode type = property.getValue().path("type");
            shape.put(property.getKey(), type.isArray() ? String.join("|", names(type)) : type.asText());
        });
        return shape;
    }

    /** property name → JSON type(s), as Jackson writes the record. */
    private static Map<String, String> shapeOfRecord(Class<?> recordClass) {
        Map<String, String> shape = new LinkedHashMap<>();
        for (RecordComponent component : recordClass.getRecordComponents()) {
            String jsonType = jsonTypeOf(component.getType());
            boolean nullable = component.isAnnotationPresent(Nullable.class);
            shape.put(component.getName(), nullable ? String.join("|", new TreeSet<>(Set.of(jsonType, "null"))) : jsonType);
        }
        return shape;
    }

    private static String jsonTypeOf(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == BigDecimal.class || type == double.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        if (type == String.class || type == UUID.class || type == Instant.class || type.isEnum()) {
            return "string";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "object";
        }
        if (List.class.isAssignableFrom(type)) {
            return "array";
        }
        throw new IllegalArgumentException("no JSON type mapped for " + type);
    }

    static List<String> wireValues(Class<?> enumType) {
        return Arrays.stream(enumType.getFields())
                .filter(java.lang.reflect.Field::isEnumConstant)
                .map(field -> field.getAnnotation(JsonProperty.class).value())
                .toList();
    }

    private static TreeSet<String> names(JsonNode array) {
        TreeSet<String> names = new TreeSet<>();
        array.forEach(node -> names.add(node.asText()));
        return names;
    }

    private static TreeSet<String> names(java.util.Iterator<String> iterator) {
        TreeSet<String> names = new TreeSet<>();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
