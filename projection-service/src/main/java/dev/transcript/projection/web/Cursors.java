package dev.transcript.projection.web;

import org.springframework.lang.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Opaque keyset cursors: the position of a page's last item as text (parts joined by {@code |}), in
 * base64url without padding. Clients only hand back what a page gave them.
 */
public final class Cursors {

    public static final String PARAMETER = "cursor";
    private static final String SEPARATOR = "|";

    private Cursors() {
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** A position of several parts, e.g. {@code createdAt|id}, for {@link #encode(String)}. */
    public static String position(Object... parts) {
        StringBuilder position = new StringBuilder();
        for (Object part : parts) {
            if (!position.isEmpty()) {
                position.append(SEPARATOR);
            }
            position.append(part);
        }
        return position.toString();
    }

    /**
     * The position a cursor names, read by {@code reader}; {@code null} without a cursor (the first page).
     * A cursor that does not decode, or whose position {@code reader} refuses by throwing, is a 400 naming
     * the cursor.
     */
    @Nullable
    public static <T> T decode(@Nullable String cursor, Function<String, T> reader) {
        if (cursor == null) {
            return null;
        }
        try {
            return reader.apply(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new InvalidParameter(PARAMETER, "is not a cursor this list gave out");
        }
    }

    /** The parts of a position made by {@link #position(Object...)}; exactly {@code count} of them or a refusal. */
    public static List<String> parts(String position, int count) {
        List<String> parts = List.of(position.split("\\|", -1));
        if (parts.size() != count) {
            throw new IllegalArgumentException("expected " + count + " parts");
        }
        return parts;
    }
}
