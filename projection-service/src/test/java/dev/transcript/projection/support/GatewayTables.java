package dev.transcript.projection.support;

import org.postgresql.util.PGobject;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the gateway tables back as plain values: a timestamp as its {@code Instant}, an enum as its label, so
 * rows compare with {@code isEqualTo} and print readably when they don't.
 */
public final class GatewayTables {

    /** The seven tables of seed 000, parents first. */
    public static final List<String> TABLES = List.of("users", "sessions", "conversations", "chat_messages",
            "containers", "git_checkpoints", "token_usage");

    private static final String SESSIONS_OF_USERS = "SELECT id FROM gateway.sessions WHERE user_id = ANY (?::uuid[])";

    /** The rows of each table that belong to these users (their sessions and everything in them). */
    private static final Map<String, String> OF_USERS = Map.of(
            "users", "id = ANY (?::uuid[])",
            "sessions", "user_id = ANY (?::uuid[])",
            "conversations", "session_id IN (" + SESSIONS_OF_USERS + ")",
            "chat_messages", "conversation_id IN (SELECT id FROM gateway.conversations WHERE session_id IN ("
                    + SESSIONS_OF_USERS + "))",
            "containers", "session_id IN (" + SESSIONS_OF_USERS + ")",
            "git_checkpoints", "session_id IN (" + SESSIONS_OF_USERS + ")",
            "token_usage", "session_id IN (" + SESSIONS_OF_USERS + ")");

    private final JdbcTemplate jdbc;

    public GatewayTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every row of every gateway table: {@code SELECT * … ORDER BY id} of each. */
    public Map<String, List<Map<String, Object>>> dump() {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM gateway." + table + " ORDER BY id"));
        }
        return dump;
    }

    /** The rows of every gateway table that belong to these users: {@code SELECT * … ORDER BY id} of each. */
    public Map<String, List<Map<String, Object>>> dumpOf(Collection<UUID> userIds) {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM gateway." + table + " WHERE " + OF_USERS.get(table) + " ORDER BY id",
                    arrayLiteral(userIds)));
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
        List<Map<String, Object>> rows = rows("SELECT * FROM gateway." + table + " WHERE id = ?", id);
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

    /** {@code {id1,id2}}, for {@code = ANY (?::uuid[])}: the same for every statement, bound as text. */
    private static String arrayLiteral(Collection<UUID> ids) {
        StringBuilder literal = new StringBuilder("{");
        for (UUID id : ids) {
            literal.append(literal.length() > 1 ? "," : "").append(id);
        }
        return literal.append('}').toString();
    }

    static Object plain(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof PGobject object) {
            return object.getValue();
        }
        if (value instanceof Array array) {
            try {
                return Arrays.asList((Object[]) array.getArray());
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return value;
    }
}
