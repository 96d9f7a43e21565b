package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every candidate value for every property of one event type, read from its JSON Schema: strings, integers,
 * decimals, objects, maps and arrays at and around their limits, every enum value and one outside the enum, and
 * null where the property is nullable. Deterministic for a seed.
 */
final class Candidates {

    /** A distinct, plainly valid string: where it shows up in a read model's table, that read model keeps the field. */
    static final String PROBE = "probe";

    private final TextValues texts;
    private final JsonValues json;

    Candidates(Random random) {
        this.texts = new TextValues(random);
        this.json = new JsonValues(texts);
    }

    List<Candidate> of(String typeName, JsonNode schema) {
        List<Candidate> all = new ArrayList<>();
        all.add(Candidate.plain(typeName)); // types whose every property is an id are tried at least as they are
        schema.path("properties").fields().forEachRemaining(property ->
                all.addAll(of(typeName, property.getKey(), property.getValue())));
        return all;
    }

    private List<Candidate> of(String typeName, String field, JsonNode property) {
        List<Candidate> all = new ArrayList<>();
        Set<String> types = typesOf(property);
        if (types.contains("null")) {
            all.add(new Candidate(typeName, field, "null", JsonNodeFactory.instance.nullNode()));
        }
        if (property.has("enum")) {
            property.get("enum").forEach(value -> all.add(new Candidate(typeName, field, "enum " + value.asText(), value)));
            all.add(new Candidate(typeName, field, "not in the enum", TextNode.valueOf("NOT-IN-THE-ENUM")));
        } else if (types.contains("string")) {
            texts.around(property).forEach((valueClass, text) ->
                    all.add(new Candidate(typeName, field, valueClass, TextNode.valueOf(text))));
            probe(property).ifPresent(probe -> all.add(new Candidate(typeName, field, PROBE, TextNode.valueOf(probe))));
        } else if (types.contains("integer")) {
            add(all, typeName, field, json.integers(property));
        } else if (types.contains("number")) {
            add(all, typeName, field, json.decimals());
        } else if (types.contains("array")) {
            add(all, typeName, field, json.objectArrays());
        } else if (types.contains("object")) {
            JsonNode values = property.path("additionalProperties");
            add(all, typeName, field, values.isObject() ? json.stringMaps(values) : json.freeFormObjects());
        }
        return all;
    }

    /** Only for text the schema does not shape: a pattern or a format other than URI or e-mail has no room for it. */
    private Optional<String> probe(JsonNode property) {
        String format = property.path("format").asText("");
        if (property.has("pattern") || !Set.of("", "uri", "email").contains(format)) {
            return Optional.empty();
        }
        String marker = PROBE + texts.random(10, 1);
        return Optional.of(switch (format) {
            case "uri" -> "https://example.com/" + marker;
            case "email" -> marker + "@example.com";
            default -> marker;
        });
    }

    private static void add(List<Candidate> all, String typeName, String field, Map<String, JsonNode> values) {
        values.forEach((valueClass, value) -> all.add(new Candidate(typeName, field, valueClass, value)));
    }

    static Set<String> typesOf(JsonNode property) {
        Set<String> types = new TreeSet<>();
        JsonNode type = property.path("type");
        if (type.isArray()) {
            type.forEach(name -> types.add(name.asText()));
        } else {
            types.add(type.asText());
        }
        return types;
    }
}
