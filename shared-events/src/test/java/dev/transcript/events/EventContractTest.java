package dev.transcript.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract as a check: every sample passes, and for every limit a schema states, a value just past it
 * is refused naming that field (and one at it passes).
 */
class EventContractTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One value past one limit of one property. */
    record Mutation(EventType type, String field, String limit, Function<JsonNode, JsonNode> value) {

        @Override
        public String toString() {
            return type.typeName() + " " + field + " past " + limit;
        }
    }

    static List<EventType> eventTypes() {
        return EventCatalog.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void a_sample_event_keeps_the_contract(EventType type) throws Exception {
        assertThat(EventContract.violations(type, sample(type))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void every_schema_states_the_encoded_size_and_storable_text(EventType type) throws Exception {
        JsonNode schema = EventSchemaContractTest.schemaOf(type);

        assertThat(schema.path("maxEncodedBytes").asLong()).isEqualTo(EventContract.MAX_ENCODED_BYTES);
        assertThat(schema.path("storableText").asBoolean()).isTrue();
        schema.path("properties").properties().forEach(property -> {
            JsonNode p = property.getValue();
            String types = p.path("type").toString();
            if (types.contains("object") || types.contains("array")) {
                assertThat(p.path("maxDepth").asInt()).as(property.getKey()).isEqualTo(EventContract.MAX_DEPTH);
                assertThat(p.has("maxProperties") || p.has("maxItems")).as(property.getKey()).isTrue();
                if (p.has("maxProperties")) {
                    assertThat(p.get("maxProperties").asInt()).isEqualTo(EventContract.MAX_PROPERTIES);
                }
            }
            if (types.contains("integer")) {
                assertThat(p.has("maximum")).as(property.getKey()).isTrue();
            }
            if (types.contains("string") && !p.has("enum") && !p.has("format") && !p.has("pattern")) {
                assertThat(p.has("maxLength")).as(property.getKey()).isTrue();
            }
        });
    }

    static List<Mutation> mutations() throws Exception {
        List<Mutation> mutations = new ArrayList<>();
        for (EventType type : EventCatalog.all()) {
            EventSchemaContractTest.schemaOf(type).path("properties").properties()
                    .forEach(property -> mutations.addAll(mutationsOf(type, property.getKey(), property.getValue())));
        }
        return mutations;
    }

    private static List<Mutation> mutationsOf(EventType type, String field, JsonNode property) {
        List<Mutation> mutations = new ArrayList<>();
        boolean plainString = property.path("type").toString().contains("string")
                && !property.has("enum") && !property.has("format") && !property.has("pattern");
        if (property.has("maxLength")) {
            int max = property.get("maxLength").asInt();
            mutations.add(new Mutation(type, field, "maxLength", old -> NODES.textNode("a".repeat(max + 1))));
        }
        if (property.has("maxUtf8Bytes")) {
            int max = property.get("maxUtf8Bytes").asInt();
            mutations.add(new Mutation(type, field, "maxUtf8Bytes", old -> NODES.textNode("😀".repeat(max / 4 + 1))));
        }
        if (property.has("maximum")) {
            BigInteger past = property.get("maximum").bigIntegerValue().add(BigInteger.ONE);
            mutations.add(new Mutation(type, field, "maximum", old -> NODES.numberNode(past)));
        }
        if (property.has("maxItems")) {
            int max = property.get("maxItems").asInt();
            mutations.add(new Mutation(type, field, "maxItems", old -> objects(max + 1)));
        }
        if (property.has("maxProperties")) {
            int max = property.get("maxProperties").asInt();
            mutations.add(new Mutation(type, field, "maxProperties", old -> keys(max + 1)));
        }
        if (property.has("maxDepth")) {
            int max = property.get("maxDepth").asInt();
            boolean array = property.path("type").toString().contains("array");
            mutations.add(new Mutation(type, field, "maxDepth", old -> nested(max + 1, array)));
        }
        if (plainString) {
            mutations.add(new Mutation(type, field, "storableText (NUL)", old -> NODES.textNode("a\u0000b")));
            mutations.add(new Mutation(type, field, "storableText (lone surrogate)", old -> NODES.textNode("a\uD800b")));
        }
        if (property.path("type").toString().contains("object")) {
            mutations.add(new Mutation(type, field, "storableText (NUL in a key)",
                    old -> NODES.objectNode().put("a\u0000", "b")));
            mutations.add(new Mutation(type, field, "storableText (NUL deep)",
                    old -> NODES.objectNode().set("a", NODES.arrayNode().add(NODES.objectNode().put("b", "\u0000")))));
        }
        return mutations;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void a_value_past_a_limit_is_refused_naming_its_field(Mutation mutation) throws Exception {
        ObjectNode data = (ObjectNode) sample(mutation.type());
        data.set(mutation.field(), mutation.value().apply(data.get(mutation.field())));

        List<EventContract.Violation> violations = EventContract.violations(mutation.type(), data);

        assertThat(violations).isNotEmpty().allSatisfy(v -> assertThat(v.field()).isEqualTo(mutation.field()));
    }

    @Test
    void free_form_json_passes_at_the_deepest_allowed_nesting_and_is_refused_one_deeper_where_it_is() throws Exception {
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(dev.transcript.events.session.MessagePosted.class));

        data.set("metadata", nested(32, false));
        assertThat(EventContract.violations(dev.transcript.events.session.MessagePosted.class, data)).isEmpty();

        data.set("metadata", nested(33, false));
        assertThat(EventContract.violations(dev.transcript.events.session.MessagePosted.class, data))
                .extracting(EventContract.Violation::pointer)
                .containsExactly("/metadata" + "/a".repeat(32));
    }

    @Test
    void nesting_far_too_deep_is_refused_without_a_stack_overflow() throws Exception {
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(dev.transcript.events.session.MessagePosted.class));
        data.set("metadata", nested(998, false));
        data.set("toolCalls", NODES.arrayNode().add(nested(900, false)));

        assertThat(EventContract.violations(dev.transcript.events.session.MessagePosted.class, data))
                .extracting(EventContract.Violation::field)
                .contains("metadata", "toolCalls");
    }

    @Test
    void content_at_its_length_passes_in_ascii_and_is_refused_by_the_encoded_size_in_four_byte_characters()
            throws Exception {
        // Jackson writes a character outside the BMP as an escaped surrogate pair: 12 bytes, not 4.
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(dev.transcript.events.session.MessagePosted.class));

        data.put("content", "a".repeat(900_000));
        assertThat(EventContract.violations(dev.transcript.events.session.MessagePosted.class, data)).isEmpty();

        data.put("content", "😀".repeat(900_000));
        assertThat(EventContract.violations(dev.transcript.events.session.MessagePosted.class, data))
                .singleElement()
                .satisfies(v -> assertThat(v.field()).isEqualTo("content"))
                .satisfies(v -> assertThat(v.message()).contains("more than the 1000000 allowed"));
    }

    @Test
    void limits_are_refused_at_one_past_and_passed_at_the_limit() throws Exception {
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(dev.transcript.events.session.FileStored.class));

        data.put("filePath", "/" + "é".repeat(1023) + "a");
        assertThat(EventContract.violations(dev.transcript.events.session.FileStored.class, data)).isEmpty();

        data.put("filePath", "/" + "é".repeat(1024));
        assertThat(EventContract.violations(dev.transcript.events.session.FileStored.class, data))
                .extracting(EventContract.Violation::field).containsExactly("filePath");
    }

    @Test
    void a_decimal_must_fit_its_numeric_column_exactly() throws Exception {
        Class<dev.transcript.events.session.TokenUsageRecorded> charge = dev.transcript.events.session.TokenUsageRecorded.class;
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(charge));

        data.put("cost", new java.math.BigDecimal("9999999999.9999999999"));
        assertThat(EventContract.violations(charge, data)).isEmpty();
        for (String past : List.of("0.00000000001", "10000000000", "1E+300")) {
            data.put("cost", new java.math.BigDecimal(past));
            assertThat(EventContract.violations(charge, data)).as(past)
                    .extracting(EventContract.Violation::field).containsExactly("cost");
        }
        data.put("cost", 0.1); // a double is read as written, not as its binary expansion
        assertThat(EventContract.violations(charge, data)).isEmpty();
    }

    @Test
    void an_instant_must_lie_where_every_read_model_can_keep_it() throws Exception {
        Class<dev.transcript.events.user.LoginOpened> login = dev.transcript.events.user.LoginOpened.class;
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(login));

        data.put("expiresAt", "2038-01-19T03:14:07Z");
        assertThat(EventContract.violations(login, data)).isEmpty();
        for (String past : List.of("0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z")) {
            data.put("expiresAt", past);
            assertThat(EventContract.violations(login, data)).as(past)
                    .extracting(EventContract.Violation::field).containsExactly("expiresAt");
        }
    }

    @Test
    void an_ip_address_must_be_an_ip_literal() throws Exception {
        Class<dev.transcript.events.user.LoginOpened> login = dev.transcript.events.user.LoginOpened.class;
        ObjectNode data = (ObjectNode) sample(EventCatalog.typeOf(login));

        for (String literal : List.of("203.0.113.9", "2001:db8::1")) {
            data.put("ipAddress", literal);
            assertThat(EventContract.violations(login, data)).as(literal).isEmpty();
        }
        data.put("ipAddress", "not an address");
        assertThat(EventContract.violations(login, data)).extracting(EventContract.Violation::field)
                .contains("ipAddress");
    }

    private static JsonNode sample(EventType type) throws Exception {
        return EventSchemaContractTest.JSON.valueToTree(SampleEvents.of(type.recordClass()));
    }

    /** {@code levels} objects (or an array of them) inside each other: {"a":{"a":{}}} is 3 deep. */
    static JsonNode nested(int levels, boolean arrayOutside) {
        JsonNode node = NODES.objectNode();
        for (int level = 1; level < levels; level++) {
            node = level == levels - 1 && arrayOutside ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
        }
        return node;
    }

    private static ArrayNode objects(int count) {
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            array.add(NODES.objectNode());
        }
        return array;
    }

    private static ObjectNode keys(int count) {
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < count; i++) {
            object.put("k" + i, i);
        }
        return object;
    }

}
