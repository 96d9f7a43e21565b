package dev.transcript.projection.web;

import org.springframework.lang.Nullable;

/** Every list is bounded: {@code limit} is 50 unless given, and at most 500. */
public final class Limits {

    public static final String PARAMETER = "limit";
    public static final int DEFAULT = 50;
    public static final int MAX = 500;

    private Limits() {
    }

    public static int of(@Nullable String limit) {
        if (limit == null) {
            return DEFAULT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new InvalidParameter(PARAMETER, "must be a whole number from 1 to " + MAX);
    }
}
