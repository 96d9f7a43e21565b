package dev.transcript.projection.web;

import org.springframework.lang.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Query parameters parsed by hand, so that a refusal names the parameter and says what it accepts. */
public final class Parameters {

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Parameters() {
    }

    /** A UUID in its canonical 8-4-4-4-12 form (not {@link UUID#fromString}'s lenient one); required. */
    public static UUID uuid(String name, String value) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw new InvalidParameter(name, "is not a valid UUID");
        }
        return UUID.fromString(value);
    }

    /** {@link #uuid(String, String)}, or {@code null} if absent. */
    @Nullable
    public static UUID optionalUuid(String name, @Nullable String value) {
        return value == null ? null : uuid(name, value);
    }

    /** An ISO-8601 instant, e.g. {@code 2026-01-23T10:15:30Z} or with an offset; {@code null} if absent. */
    @Nullable
    public static Instant instant(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(name, "must be an ISO-8601 instant such as 2026-01-23T10:15:30Z");
        }
    }

    /** One of {@code allowed}, matched without regard to case and answered as spelled in {@code allowed}. */
    @Nullable
    public static String oneOf(String name, @Nullable String value, List<String> allowed) {
        if (value == null) {
            return null;
        }
        String lowered = value.strip().toLowerCase(Locale.ROOT);
        return allowed.stream().filter(lowered::equals).findFirst()
                .orElseThrow(() -> new InvalidParameter(name, "must be one of " + allowed));
    }
}
