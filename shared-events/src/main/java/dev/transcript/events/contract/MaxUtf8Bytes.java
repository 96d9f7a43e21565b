package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * {@code "maxUtf8Bytes": n}: a string is at most n bytes in UTF-8. For text a read model indexes:
 * PostgreSQL refuses a btree entry over 2,704 bytes, whatever the characters count.
 */
final class MaxUtf8Bytes extends InstanceKeyword {

    MaxUtf8Bytes() {
        super("maxUtf8Bytes");
    }

    @Override
    Problem problem(JsonNode limit, JsonNode instance) {
        if (!instance.isTextual()) {
            return null;
        }
        long bytes = utf8Length(instance.textValue());
        return bytes <= limit.asLong() ? null
                : new Problem(List.of(), "is " + bytes + " bytes in UTF-8, more than " + limit.asLong());
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
