package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One generated value for one field of one event type; the rest of the event is its type's baseline.
 *
 * @param valueClass what the value is, stable from run to run (e.g. {@code 255 × 3-byte (max)}): with the type and
 *                   the field, the key a known gap is listed by
 */
record Candidate(String typeName, String field, String valueClass, JsonNode value) {

    /** The type's baseline event as it is, no field changed. */
    static Candidate plain(String typeName) {
        return new Candidate(typeName, "*", "plain", null);
    }

    boolean changesAField() {
        return value != null;
    }

    /** {@code MessagePosted.v2 content: NUL}: the type without its {@code transcript.<stream>.} prefix. */
    String key() {
        return typeName.substring(typeName.indexOf('.', "transcript.".length()) + 1) + " " + field + ": " + valueClass;
    }

    @Override
    public String toString() {
        return key();
    }
}
