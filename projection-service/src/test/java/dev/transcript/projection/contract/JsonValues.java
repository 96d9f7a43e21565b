package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Numbers, free-form objects, maps of strings and arrays at and around their limits: the extremes of integers and
 * of decimals at a read model's precision, the deepest nesting (32 allowed by the proposal, then 33, 100
 * and 998, the depth that overflowed a projector's stack), the largest arrays and maps, and NUL or unpaired
 * surrogates hidden in keys and nested values.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int[] DEPTHS = {32, 33, 100, 998};

    private final TextValues texts;

    JsonValues(TextValues texts) {
        this.texts = texts;
    }

    Map<String, JsonNode> integers(JsonNode property) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        if (property.has("minimum")) {
            long min = property.get("minimum").asLong();
            values.put("minimum", NODES.numberNode(min));
            values.put("below minimum", NODES.numberNode(min - 1));
        } else {
            values.put("-2^63", NODES.numberNode(Long.MIN_VALUE));
        }
        if (property.has("maximum")) {
            long max = property.get("maximum").asLong();
            values.put("maximum", NODES.numberNode(max));
            values.put("above maximum", NODES.numberNode(max + 1));
        } else {
            values.put("2^31-1", NODES.numberNode(Integer.MAX_VALUE));
            values.put("2^31", NODES.numberNode(1L + Integer.MAX_VALUE));
            values.put("2^63-1", NODES.numberNode(Long.MAX_VALUE));
            values.put("2^63", NODES.numberNode(BigInteger.ONE.shiftLeft(63)));
        }
        values.put("fraction 1.5", NODES.numberNode(new BigDecimal("1.5")));
        values.put("integral decimal 1.0", NODES.numberNode(new BigDecimal("1.0")));
        return values;
    }

    /** Decimals: chat keeps costs as NUMERIC(20,10), exactly or not at all. */
    Map<String, JsonNode> decimals() {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (String decimal : new String[] {"0", "-1", "0.0000000001", "0.00000000001", "1234.5678",
                "9999999999.9999999999", "10000000000", "1E+300"}) {
            values.put(decimal, NODES.numberNode(new BigDecimal(decimal)));
        }
        return values;
    }

    Map<String, JsonNode> freeFormObjects() {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("empty", NODES.objectNode());
        for (int depth : DEPTHS) {
            values.put("depth " + depth, nested(depth));
        }
        values.put("NUL in a value", NODES.objectNode().put("k", "a\u0000b"));
        values.put("NUL in a key", NODES.objectNode().put("a\u0000b", "v"));
        values.put("lone surrogate in a value", NODES.objectNode().put("k", "a\uD800b"));
        values.put("lone surrogate in a key", NODES.objectNode().put("a\uDC00b", "v"));
        values.put("quotes and backslashes in a key", NODES.objectNode().put("\"'\\", "v"));
        values.put("1,000 keys", manyKeys(1_000, 100));
        values.put("10,000 × 4-byte value", NODES.objectNode().put("k", texts.random(10_000, 4)));
        values.put("every JSON type", NODES.objectNode().put("s", "x").put("i", Long.MAX_VALUE).put("d", 1.5)
                .put("b", true).putNull("n").set("a", NODES.arrayNode().add(1).add("two")));
        return values;
    }

    /** A map of strings (container labels): {@code valueLimits} is its additionalProperties schema. */
    Map<String, JsonNode> stringMaps(JsonNode valueLimits) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("empty", NODES.objectNode());
        texts.around(valueLimits).forEach((valueClass, text) -> values.put("value " + valueClass,
                NODES.objectNode().put("k", text)));
        values.put("NUL in a key", NODES.objectNode().put("a\u0000b", "v"));
        values.put("lone surrogate in a key", NODES.objectNode().put("a\uD800b", "v"));
        values.put("1,000 × 3-byte key", NODES.objectNode().put(texts.random(1_000, 3), "v"));
        values.put("1,000 entries", manyKeys(1_000, 100));
        values.put("an object as a value", NODES.objectNode().set("k", NODES.objectNode()));
        return values;
    }

    /** Arrays of objects (attachments, tool calls); the API takes at most 50 attachments. */
    Map<String, JsonNode> objectArrays() {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("empty", NODES.arrayNode());
        for (int size : new int[] {50, 51, 1_000}) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < size; i++) {
                array.addObject().put("name", "file-" + i + ".txt").put("size", i);
            }
            values.put(size + " objects", array);
        }
        for (int depth : DEPTHS) {
            values.put("one object of depth " + depth, NODES.arrayNode().add(nested(depth)));
        }
        values.put("one object with NUL", NODES.arrayNode().add(NODES.objectNode().put("k", "a\u0000b")));
        values.put("a string item", NODES.arrayNode().add("text"));
        return values;
    }

    /** An object {@code depth} levels deep, counting itself: {@code {"d":{"d":{}}}} is 3. Built without recursion. */
    static ObjectNode nested(int depth) {
        ObjectNode innermost = NODES.objectNode();
        ObjectNode outer = innermost;
        for (int level = 1; level < depth; level++) {
            outer = NODES.objectNode().set("d", outer);
        }
        return outer;
    }

    private ObjectNode manyKeys(int keys, int valueLength) {
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < keys; i++) {
            object.put("key-" + i, texts.random(valueLength, 1));
        }
        return object;
    }
}
