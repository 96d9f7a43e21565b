package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Strings at and around a string property's limits: its shortest and longest in characters of every UTF-8 width
 * (the schema counts code points, columns count characters or bytes), one past each limit, and text that breaks
 * naive code: control characters, quotes, emoji sequences, right-to-left text, NUL and unpaired surrogates. A URI
 * or e-mail property keeps its scheme or domain so that its length, not its format, is what is tried.
 */
final class TextValues {

    /** Fields with no maxLength (message content) get one string past chat_app's 65,535-byte TEXT in each width. */
    private static final int UNBOUNDED_ONE_BYTE = 65_536;
    private static final int UNBOUNDED_FOUR_BYTE = 17_000;

    private final Random random;

    TextValues(Random random) {
        this.random = random;
    }

    Map<String, String> around(JsonNode property) {
        int min = property.path("minLength").asInt(0);
        String format = property.path("format").asText("");
        String prefix = format.equals("uri") ? "https://example.com/" : "";
        String suffix = format.equals("email") ? "@example.com" : "";
        Map<String, String> values = new LinkedHashMap<>();
        values.put(min + " × 1-byte (min)", fill(prefix, min, 1, suffix));
        if (min > 0) {
            values.put((min - 1) + " × 1-byte (below min)", fill(prefix, min - 1, 1, suffix));
        }
        if (property.has("maxLength")) {
            int max = property.get("maxLength").asInt();
            for (int width = 1; width <= 4; width++) {
                values.put(max + " × " + width + "-byte (max)", fill(prefix, max, width, suffix));
            }
            values.put((max + 1) + " × 1-byte (above max)", fill(prefix, max + 1, 1, suffix));
        } else {
            values.put(UNBOUNDED_ONE_BYTE + " × 1-byte (no max)", fill(prefix, UNBOUNDED_ONE_BYTE, 1, suffix));
            values.put(UNBOUNDED_FOUR_BYTE + " × 4-byte (no max)", fill(prefix, UNBOUNDED_FOUR_BYTE, 4, suffix));
        }
        // Each with a random tag: the same text in two stories would collide on a unique column (a container id).
        String tag = random(4, 1);
        values.put("control characters", prefix + tag + "tab\tline\ncr\r\u0001\u001f\u007f\u0085" + suffix);
        values.put("quotes and backslashes", prefix + tag + "\"'`\\\\n\\u0000" + suffix);
        values.put("emoji sequences", prefix + tag + "\uD83D\uDC69\u200D\uD83D\uDCBB\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08\uD83D\uDC4D\uD83C\uDFFD" + suffix);
        values.put("right-to-left text", prefix + tag + "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 \u202Eabc\u202C" + suffix);
        values.put("NUL", prefix + tag + "\u0000" + suffix);
        values.put("lone high surrogate", prefix + tag + "\uD800" + suffix);
        values.put("lone low surrogate", prefix + tag + "\uDC00" + suffix);
        if (format.equals("date-time")) {
            values.put("earliest date-time", "0001-01-01T00:00:00Z");
            values.put("latest date-time", "9999-12-31T23:59:59.999999999Z");
            values.put("date-time at +14:00", "2026-03-02T10:00:00+14:00");
            values.put("date-time in nanoseconds", "2026-03-02T10:00:00.123456789Z");
        }
        return values;
    }

    /** {@code length} code points in all, affixes included, the rest random characters of one UTF-8 width. */
    String fill(String prefix, int length, int width, String suffix) {
        int affixes = prefix.length() + suffix.length();
        if (length < affixes) {
            return random(length, width);
        }
        return prefix + random(length - affixes, width) + suffix;
    }

    String random(int codePoints, int width) {
        StringBuilder text = new StringBuilder(codePoints * 2);
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(randomCodePoint(width));
        }
        return text.toString();
    }

    /** Letters and digits, Latin-1 and Latin Extended, CJK, and emoji or CJK Extension B. */
    private int randomCodePoint(int width) {
        return switch (width) {
            case 1 -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(random.nextInt(62));
            case 2 -> 0x00C0 + random.nextInt(0x0250 - 0x00C0);
            case 3 -> 0x4E00 + random.nextInt(0x9FFF - 0x4E00);
            case 4 -> random.nextBoolean() ? 0x1F600 + random.nextInt(0x50) : 0x20000 + random.nextInt(0xA6DF);
            default -> throw new IllegalArgumentException("UTF-8 has no " + width + "-byte characters");
        };
    }
}
