package dev.transcript.projection.chatapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Values as chat_app stores them, made in Java so that both engines are handed (and keep) exactly the same:
 * times, JSON text and text that fits every engine's {@code TEXT}.
 */
final class ChatAppValues {

    /**
     * The most a {@code TEXT} column holds on MariaDB/MySQL, in bytes of UTF-8 (PostgreSQL: 1 GB). No portable type
     * is larger, so chat_app holds at most this much on every engine.
     */
    static final int TEXT_BYTES = 65_535;

    /**
     * One mapper for every JSON column: map entries and properties sorted by key, so the same value is the same
     * text, whichever engine stores it and whatever order the event's JSON had.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private ChatAppValues() {
    }

    /**
     * An event's time as a {@code TIMESTAMP(6)} value: UTC, to the microsecond (both engines keep six digits;
     * cut here, so that neither rounds its own way).
     */
    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /**
     * Text as both engines can store it alike: U+0000, which PostgreSQL refuses in text and MariaDB keeps, becomes
     * U+FFFD (the replacement character); null stays null.
     */
    static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    /**
     * Text for a {@code TEXT} column: as {@link #text}, then cut to its longest prefix of whole characters that
     * fits {@link #TEXT_BYTES} bytes of UTF-8. Longer content is kept whole in the event store, the topic and the
     * other read models; chat_app shows its beginning rather than no row at all.
     */
    static String boundedText(String value) {
        String text = text(value);
        if (text == null || text.length() <= TEXT_BYTES / 4) {
            return text; // at most 4 bytes per character: fits without counting
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            bytes += utf8Length(codePoint);
            if (bytes > TEXT_BYTES) {
                return text.substring(0, i);
            }
            i += Character.charCount(codePoint);
        }
        return text;
    }

    /** Whether {@link #boundedText} would cut this text. */
    static boolean exceedsText(String value) {
        return value != null && value.length() > TEXT_BYTES / 4
                && text(value).getBytes(StandardCharsets.UTF_8).length > TEXT_BYTES;
    }

    /**
     * A JSON column's text: the value in sorted-key JSON, or null when that is longer than {@link #TEXT_BYTES}
     * (a cut would not be JSON; the column is nullable, and null says "not kept here"). Null stays null.
     */
    static String json(Object value) {
        if (value == null) {
            return null;
        }
        String text;
        try {
            text = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a value that is not JSON", e);
        }
        return text.length() > TEXT_BYTES / 4 && text.getBytes(StandardCharsets.UTF_8).length > TEXT_BYTES
                ? null : text;
    }

    private static int utf8Length(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        if (codePoint < 0x800) {
            return 2;
        }
        // A lone surrogate (no character; the drivers send '?') counts as 3: generous, never too little.
        return codePoint < 0x10000 ? 3 : 4;
    }
}
