package dev.transcript.projection.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the builder tables (seed 001) back as plain values, like {@link GatewayTables}: a timestamp as its
 * {@code Instant}, a {@code jsonb} as the maps and lists it holds (so JSON compares by value, not by PostgreSQL's
 * spelling of it), an {@code inet} as its text. With them, the {@code projection.session_owner} rows the builder
 * projector writes.
 */
public final class BuilderTables {

    /** The six tables of seed 001, parents first, and the session owners the builder projector remembers. */
    public static final List<String> TABLES = List.of("builder.users", "builder.sessions", "builder.containers",
            "builder.projects", "builder.chat_messages", "builder.file_storage", "projection.session_owner");

    /** The tables whose {@code updated_at} seed 001's trigger sets to the time of projection on every UPDATE. */
    public static final Set<String> STAMPED_BY_TRIGGER =
            Set.of("builder.containers", "builder.projects", "builder.file_storage");

    private static final String SESSIONS_OF_USERS =
            "SELECT session_id FROM projection.session_owner WHERE user_id = ANY (?::uuid[])";

    /** The rows of each table that belong to these users; every table's rows in a stable order. */
    private static final Map<String, String> OF_USERS = Map.of(
            "builder.users", "id = ANY (?::uuid[]) ORDER BY id",
            "builder.sessions", "user_id = ANY (?::uuid[]) ORDER BY id",
            "builder.containers", "user_id = ANY (?::uuid[]) ORDER BY id",
            "builder.projects", "user_id = ANY (?::uuid[]) ORDER BY id",
            "builder.chat_messages", "session_id IN (SELECT conversation_id::text FROM projection.session_owner "
                    + "WHERE user_id = ANY (?::uuid[])) ORDER BY id",
            "builder.file_storage", "container_id IN (" + SESSIONS_OF_USERS + ") ORDER BY id",
            "projection.session_owner", "user_id = ANY (?::uuid[]) ORDER BY session_id");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;

    public BuilderTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every row of every table: {@code SELECT * … ORDER BY} its key. */
    public Map<String, List<Map<String, Object>>> dump() {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM " + table + " ORDER BY "
                    + (table.equals("projection.session_owner") ? "session_id" : "id")));
        }
        return dump;
    }

    /**
     * The dump without the {@code updated_at} of {@link #STAMPED_BY_TRIGGER}: what a replay of the history
     * must leave as it was. Replayed, a row's status goes back and forth again, and each of those real changes
     * is stamped anew (docs/read-models.md: "a rebuild moves it").
     */
    public static Map<String, List<Map<String, Object>>> withoutTriggerStamps(
            Map<String, List<Map<String, Object>>> dump) {
        Map<String, List<Map<String, Object>>> unstamped = new LinkedHashMap<>();
        dump.forEach((table, rows) -> unstamped.put(table, STAMPED_BY_TRIGGER.contains(table)
                ? rows.stream().map(BuilderTables::withoutUpdatedAt).toList() : rows));
        return unstamped;
    }

    private static Map<String, Object> withoutUpdatedAt(Map<String, Object> row) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.remove("updated_at");
        return copy;
    }

    /** The rows of every table that belong to these users (their logins, sessions, containers, projects…). */
    public Map<String, List<Map<String, Object>>> dumpOf(Collection<UUID> userIds) {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM " + table + " WHERE " + OF_USERS.get(table), arrayLiteral(userIds)));
        }
        return dump;
    }

    public Map<String, List<Map<String, Object>>> dumpOf(UUID... userIds) {
        return dumpOf(Arrays.asList(userIds));
    }

    /** Row counts per table, of these users' rows. */
    public Map<String, Integer> countsOf(UUID... userIds) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        dumpOf(userIds).forEach((table, rows) -> counts.put(table, rows.size()));
        return counts;
    }

    /** The one row of {@code builder.<table>} with this id, or an empty map. */
    public Map<String, Object> row(String table, Object id) {
        List<Map<String, Object>> rows = rows("SELECT * FROM builder." + table + " WHERE id = ?", id);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    /** The session's row in {@code projection.session_owner}, or an empty map. */
    public Map<String, Object> owner(UUID sessionId) {
        List<Map<String, Object>> rows = rows("SELECT * FROM projection.session_owner WHERE session_id = ?", sessionId);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, args)) {
            Map<String, Object> plain = new LinkedHashMap<>();
            row.forEach((column, value) -> plain.put(column, plain(value)));
            rows.add(plain);
        }
        return rows;
    }

    /** A row as column → value pairs; unlike Map.of, takes nulls and keeps the order. */
    public static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** The row with these columns changed, every other column as it was. */
    public static Map<String, Object> with(Map<String, Object> row, Object... namesAndValues) {
        assertThat(row).as("the row before the event").isNotEmpty();
        Map<String, Object> changed = new LinkedHashMap<>(row);
        changed.putAll(columns(namesAndValues));
        return changed;
    }

    private static Object plain(Object value) {
        if (value instanceof PGobject object && "jsonb".equals(object.getType())) {
            try {
                return object.getValue() == null ? null : JSON.readValue(object.getValue(), Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return GatewayTables.plain(value);
    }

    /** {@code {id1,id2}}, for {@code = ANY (?::uuid[])}: the same for every statement, bound as text. */
    private static String arrayLiteral(Collection<UUID> ids) {
        StringBuilder literal = new StringBuilder("{");
        for (UUID id : ids) {
            literal.append(literal.length() > 1 ? "," : "").append(id);
        }
        return literal.append('}').toString();
    }
}
