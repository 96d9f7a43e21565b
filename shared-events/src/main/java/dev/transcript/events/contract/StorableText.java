package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * {@code "storableText": true}: every string and every property name in the instance, at any depth, is
 * text every read model can store: no U+0000 (PostgreSQL's text and jsonb refuse it) and no unpaired
 * surrogate (I-JSON, RFC 7493; UTF-8 cannot encode one). Walks without recursion, so that an instance
 * nested too deep is reported by {@code maxDepth}, not a stack overflow here.
 */
final class StorableText extends InstanceKeyword {

    /** A container still to look into, with the way from the instance to it. */
    private record Pending(JsonNode node, Pending parent, Object step) {

        List<Object> at(Object last) {
            List<Object> at = new ArrayList<>();
            at.add(last);
            for (Pending p = this; p.parent != null; p = p.parent) {
                at.addFirst(p.step);
            }
            return at;
        }
    }

    StorableText() {
        super("storableText");
    }

    @Override
    Problem problem(JsonNode enabled, JsonNode instance) {
        if (!enabled.asBoolean()) {
            return null;
        }
        if (instance.isTextual()) {
            String fault = faultIn(instance.textValue());
            return fault == null ? null : new Problem(List.of(), fault);
        }
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(instance, null, null));
        while (!pending.isEmpty()) {
            Problem problem = look(pending.pop(), pending);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static Problem look(Pending container, Deque<Pending> pending) {
        JsonNode node = container.node();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Problem problem = lookAt(container, i, node.get(i), pending);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fault = faultIn(field.getKey());
            if (fault != null) {
                return new Problem(container.at(field.getKey()), "a property name " + fault);
            }
            Problem problem = lookAt(container, field.getKey(), field.getValue(), pending);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static Problem lookAt(Pending container, Object step, JsonNode value, Deque<Pending> pending) {
        if (value.isContainerNode()) {
            pending.push(new Pending(value, container, step));
            return null;
        }
        String fault = value.isTextual() ? faultIn(value.textValue()) : null;
        return fault == null ? null : new Problem(container.at(step), fault);
    }

    /** What makes {@code text} unstorable, or null. */
    static String faultIn(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains U+0000 (NUL) at index " + i;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains an unpaired surrogate at index " + i;
            }
        }
        return null;
    }
}
