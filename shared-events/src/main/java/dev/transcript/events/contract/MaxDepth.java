package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code "maxDepth": n}: the instance nests objects and arrays at most n levels deep, itself counted as
 * level 1 ({@code {}} is 1 deep, {@code {"a":{}}} 2). Read models write free-form JSON recursively; a
 * bound keeps every reader's stack safe.
 */
final class MaxDepth extends InstanceKeyword {

    MaxDepth() {
        super("maxDepth");
    }

    @Override
    Problem problem(JsonNode limit, JsonNode instance) {
        List<Object> at = deeperThan(instance, limit.asInt());
        return at == null ? null : new Problem(at, "nested more than " + limit.asInt() + " levels deep");
    }

    /** Where the first container below {@code levels} levels is, or null; recurses at most levels + 1 deep. */
    private static List<Object> deeperThan(JsonNode node, int levels) {
        if (!node.isContainerNode()) {
            return null;
        }
        if (levels == 0) {
            return new ArrayList<>();
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> at = deeperThan(node.get(i), levels - 1);
                if (at != null) {
                    at.addFirst(i);
                    return at;
                }
            }
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            List<Object> at = deeperThan(field.getValue(), levels - 1);
            if (at != null) {
                at.addFirst(field.getKey());
                return at;
            }
        }
        return null;
    }
}
