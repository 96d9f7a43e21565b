package dev.transcript.projection.web;

import org.springframework.lang.Nullable;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a keyset-paginated list: its items and the opaque cursor of the next page, {@code null} on
 * the last one.
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * The page from rows fetched with {@code LIMIT limit + 1}: the extra row, if there is one, only says a
     * next page exists, whose cursor is the position of the page's last item.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorOf) {
        if (fetched.size() <= limit) {
            return new Page<>(List.copyOf(fetched), null);
        }
        List<T> items = List.copyOf(fetched.subList(0, limit));
        return new Page<>(items, Cursors.encode(cursorOf.apply(items.getLast())));
    }
}
