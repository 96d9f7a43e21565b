package dev.transcript.projection.support;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the todo tables back as plain values: a timestamp as its {@code Instant}, JSONB as its text, so rows
 * compare with {@code isEqualTo} and print readably when they don't.
 */
public final class TodoTables {

    /** The four tables of seed 003, parents first. */
    public static final List<String> TABLES = List.of("users", "tasks", "conversations", "messages");

    /** Every table of seed 003 says whose a row is in one column. */
    private static final Map<String, String> OWNER = Map.of(
            "users", "id", "tasks", "user_id", "conversations", "user_id", "messages", "user_id");

    private final JdbcTemplate jdbc;

    public TodoTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every row of every todo table: {@code SELECT * … ORDER BY id} of each. */
    public Map<String, List<Map<String, Object>>> dump() {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM todo." + table + " ORDER BY id"));
        }
        return dump;
    }

    /** The rows of every todo table that belong to these users: {@code SELECT * … ORDER BY id} of each. */
    public Map<String, List<Map<String, Object>>> dumpOf(Collection<UUID> userIds) {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM todo." + table + " WHERE " + OWNER.get(table)
                    + " = ANY (?::uuid[]) ORDER BY id", arrayLiteral(userIds)));
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

    /** The one row with this id, or an empty map. */
    public Map<String, Object> row(String table, Object id) {
        List<Map<String, Object>> rows = rows("SELECT * FROM todo." + table + " WHERE id = ?", id);
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(sql, args)) {
            Map<String, Object> plain = new LinkedHashMap<>();
            row.forEach((column, value) -> plain.put(column, GatewayTables.plain(value)));
            rows.add(plain);
        }
        return rows;
    }

    /** {@code {id1,id2}}, for {@code = ANY (?::uuid[])}: bound as text. */
    private static String arrayLiteral(Collection<UUID> ids) {
        StringBuilder literal = new StringBuilder("{");
        for (UUID id : ids) {
            literal.append(literal.length() > 1 ? "," : "").append(id);
        }
        return literal.append('}').toString();
    }
}
