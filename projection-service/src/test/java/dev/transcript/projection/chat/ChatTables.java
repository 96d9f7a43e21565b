package dev.transcript.projection.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the chat tables (and auth.users, and the session owners the chat projector records) back as plain
 * values, as the service's own login user, a superuser, whom row-level security does not bind: a timestamp as
 * its {@code Instant}, JSONB parsed (so key order and spacing do not matter), NUMERIC as it is.
 */
final class ChatTables {

    /** Every table the chat projector writes, parents first, with the column that says whose a row is. */
    static final Map<String, String> OWNER = ordered(
            "auth.users", "id",
            "chat.conversations", "user_id",
            "chat.messages", "user_id",
            "chat.usage_tracking", "user_id",
            "projection.session_owner", "user_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    ChatTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The rows of every table that belong to these users: {@code SELECT * … ORDER BY} its key, of each. */
    Map<String, List<Map<String, Object>>> dumpOf(Collection<UUID> userIds) {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        OWNER.forEach((table, owner) -> dump.put(table, rows("SELECT * FROM " + table + " WHERE " + owner
                + " = ANY (?::uuid[]) ORDER BY 1", arrayLiteral(userIds))));
        return dump;
    }

    Map<String, List<Map<String, Object>>> dumpOf(UUID... userIds) {
        return dumpOf(Arrays.asList(userIds));
    }

    Map<String, Integer> countsOf(UUID... userIds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        dumpOf(userIds).forEach((table, rows) -> counts.put(table, rows.size()));
        return counts;
    }

    /** The one row of {@code table} (schema-qualified) with this id, or an empty map. */
    Map<String, Object> row(String table, Object id) {
        List<Map<String, Object>> rows = rows("SELECT * FROM " + table + " WHERE id = ?", id);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    List<Map<String, Object>> rows(String sql, Object... args) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, args)) {
            Map<String, Object> plain = new LinkedHashMap<>();
            row.forEach((column, value) -> plain.put(column, plain(value)));
            rows.add(plain);
        }
        return rows;
    }

    static Object plain(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof PGobject object && object.getType().startsWith("json")) {
            return json(object.getValue());
        }
        if (value instanceof PGobject object) {
            return object.getValue();
        }
        return value;
    }

    static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {id1,id2}}, for {@code = ANY (?::uuid[])}: bound as text. */
    private static String arrayLiteral(Collection<UUID> ids) {
        StringBuilder literal = new StringBuilder("{");
        for (UUID id : ids) {
            literal.append(literal.length() > 1 ? "," : "").append(id);
        }
        return literal.append('}').toString();
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
