package dev.transcript.projection.usage;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

/** What token usage can be summed by: the SQL of its key and of the rows it needs, and how its key reads back. */
enum GroupBy {

    MODEL("t.model", "gateway.token_usage t", key -> key),
    SESSION("t.session_id", "gateway.token_usage t", UUID::fromString),
    USER("s.user_id", "gateway.token_usage t JOIN gateway.sessions s ON s.id = t.session_id", UUID::fromString);

    static final List<String> NAMES = Arrays.stream(values()).map(GroupBy::wire).toList();

    final String key;
    final String from;
    /** The key as a bind value of the column's type, from its text (throws if it is not one). */
    final Function<String, Object> keyOf;

    GroupBy(String key, String from, Function<String, Object> keyOf) {
        this.key = key;
        this.from = from;
        this.keyOf = keyOf;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static GroupBy ofWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
