package dev.transcript.projection.support;

import dev.transcript.projection.chatapp.ChatAppDatabase;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the chat_app tables back through JDBC, on either engine, as plain values that compare across engines: a
 * time as its {@code Instant} (read as the stored UTC {@code LocalDateTime}), a flag as a {@code Boolean}
 * (MariaDB's {@code TINYINT(1)} included), any integer as a {@code Long}, text and JSON text as stored.
 */
public final class ChatAppTables {

    /** The five tables, parents first. */
    public static final List<String> TABLES = List.of("users", "sessions", "chat_sessions", "chat_messages",
            "pipeline_executions");

    private static final Set<String> FLAGS = Set.of("is_active");

    private final ChatAppDatabase database;

    public ChatAppTables(ChatAppDatabase database) {
        this.database = database;
    }

    /** Every row of every table: {@code SELECT * … ORDER BY id} of each. */
    public Map<String, List<Map<String, Object>>> dump() {
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM " + database.table(table) + " ORDER BY id"));
        }
        return dump;
    }

    /** The rows of every table that belong to these users (their logins, chat sessions, messages, pipelines). */
    public Map<String, List<Map<String, Object>>> dumpOf(Collection<UUID> userIds) {
        String in = String.join(", ", Collections.nCopies(userIds.size(), "?"));
        Object[] ids = userIds.stream().map(UUID::toString).toArray();
        Map<String, String> owned = Map.of(
                "users", "id IN (" + in + ")",
                "sessions", "user_id IN (" + in + ")",
                "chat_sessions", "user_id IN (" + in + ")",
                "chat_messages", "session_id IN (SELECT id FROM " + database.table("chat_sessions")
                        + " WHERE user_id IN (" + in + "))",
                "pipeline_executions", "user_id IN (" + in + ")");
        Map<String, List<Map<String, Object>>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            dump.put(table, rows("SELECT * FROM " + database.table(table) + " WHERE " + owned.get(table)
                    + " ORDER BY id", ids));
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
        List<Map<String, Object>> rows = rows("SELECT * FROM " + database.table(table) + " WHERE id = ?",
                id.toString());
        return rows.isEmpty() ? Map.of() : rows.getFirst();
    }

    /** A query's rows, column names lower-cased, values plain. */
    public List<Map<String, Object>> rows(String sql, Object... args) {
        return database.jdbc().query(sql, (rs, n) -> plainRow(rs), args);
    }

    private static Map<String, Object> plainRow(ResultSet rs) throws SQLException {
        ResultSetMetaData columns = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            String name = columns.getColumnLabel(i).toLowerCase(Locale.ROOT);
            row.put(name, plain(rs, i, columns.getColumnType(i), FLAGS.contains(name)));
        }
        return row;
    }

    private static Object plain(ResultSet rs, int column, int type, boolean flag) throws SQLException {
        if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
            LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
            return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
        }
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        if (flag) {
            return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
        }
        if (value instanceof Number number && !(value instanceof java.math.BigDecimal)) {
            return number.longValue();
        }
        return value;
    }

    /** A row as column → value pairs; unlike Map.of, takes nulls. */
    public static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }
}
