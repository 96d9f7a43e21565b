package dev.transcript.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every read model holds of the run: the ids of each kind it projects, and the per-session figures
 * the acknowledgements predict. Read models keyed by conversation are mapped back to the session through
 * the conversation ids the session starts answered.
 */
final class ReadModels {

    /** A query for ids of one kind; {@code byConversation}: it answers conversation ids, not session ids. */
    private record IdQuery(String readModel, Kind kind, String sql, boolean byConversation) {
    }

    /** A query answering (id, figure) per session or conversation. */
    private record MeasureQuery(String readModel, Measure.What what, String sql, boolean byConversation) {
    }

    private static final List<IdQuery> IDS = List.of(
            new IdQuery("gateway", Kind.USER, "SELECT id::text FROM gateway.users", false),
            new IdQuery("builder", Kind.USER, "SELECT id::text FROM builder.users", false),
            new IdQuery("todo", Kind.USER, "SELECT id::text FROM todo.users", false),
            new IdQuery("chat", Kind.USER, "SELECT id::text FROM auth.users", false),
            new IdQuery("chat_app", Kind.USER, "SELECT id FROM chat_app.users", false),
            new IdQuery("gateway", Kind.SESSION, "SELECT id::text FROM gateway.sessions", false),
            // A builder container's id is its session's id; every chaos session has one.
            new IdQuery("builder", Kind.SESSION, "SELECT id::text FROM builder.containers", false),
            new IdQuery("todo", Kind.SESSION, "SELECT id::text FROM todo.conversations", true),
            new IdQuery("chat", Kind.SESSION, "SELECT id::text FROM chat.conversations", true),
            new IdQuery("chat_app", Kind.SESSION, "SELECT id FROM chat_app.chat_sessions", false),
            new IdQuery("gateway", Kind.MESSAGE, "SELECT id::text FROM gateway.chat_messages", false),
            new IdQuery("builder", Kind.MESSAGE, "SELECT id::text FROM builder.chat_messages", false),
            new IdQuery("todo", Kind.MESSAGE, "SELECT id::text FROM todo.messages", false),
            new IdQuery("chat", Kind.MESSAGE, "SELECT id::text FROM chat.messages", false),
            new IdQuery("chat_app", Kind.MESSAGE, "SELECT id FROM chat_app.chat_messages", false),
            new IdQuery("gateway", Kind.TOKEN_USAGE, "SELECT id::text FROM gateway.token_usage", false),
            new IdQuery("chat", Kind.TOKEN_USAGE, "SELECT id::text FROM chat.usage_tracking", false),
            new IdQuery("gateway", Kind.CHECKPOINT, "SELECT id::text FROM gateway.git_checkpoints", false));

    private static final List<MeasureQuery> MEASURES = List.of(
            new MeasureQuery("gateway", Measure.What.MESSAGE_ROWS, """
                    SELECT c.session_id::text, count(m.id) FROM gateway.conversations c
                    LEFT JOIN gateway.chat_messages m ON m.conversation_id = c.id GROUP BY c.session_id""", false),
            new MeasureQuery("gateway", Measure.What.MESSAGES_COUNT,
                    "SELECT session_id::text, messages_count FROM gateway.conversations", false),
            new MeasureQuery("gateway", Measure.What.TOKENS,
                    "SELECT session_id::text, sum(total_tokens) FROM gateway.token_usage GROUP BY session_id", false),
            new MeasureQuery("builder", Measure.What.MESSAGE_ROWS,
                    "SELECT session_id, count(*) FROM builder.chat_messages GROUP BY session_id", true),
            new MeasureQuery("todo", Measure.What.MESSAGE_ROWS, """
                    SELECT c.id::text, count(m.id) FROM todo.conversations c
                    LEFT JOIN todo.messages m ON m.conversation_id = c.id GROUP BY c.id""", true),
            new MeasureQuery("chat", Measure.What.MESSAGE_ROWS, """
                    SELECT c.id::text, count(m.id) FROM chat.conversations c
                    LEFT JOIN chat.messages m ON m.conversation_id = c.id GROUP BY c.id""", true),
            new MeasureQuery("chat", Measure.What.MESSAGES_COUNT,
                    "SELECT id::text, message_count FROM chat.conversations", true),
            new MeasureQuery("chat", Measure.What.TOKENS,
                    "SELECT conversation_id::text, sum(total_tokens) FROM chat.usage_tracking GROUP BY conversation_id",
                    true),
            new MeasureQuery("chat_app", Measure.What.MESSAGE_ROWS, """
                    SELECT s.id, count(m.id) FROM chat_app.chat_sessions s
                    LEFT JOIN chat_app.chat_messages m ON m.session_id = s.id GROUP BY s.id""", false));

    private static final List<String> MESSAGE_TABLES = List.of("gateway.chat_messages", "builder.chat_messages",
            "todo.messages", "chat.messages", "chat_app.chat_messages");

    private ReadModels() {
    }

    static List<ReadModelIds> ids(Connection db, Map<String, String> sessionOfConversation) throws SQLException {
        List<ReadModelIds> all = new ArrayList<>();
        for (IdQuery q : IDS) {
            Set<String> ids = new HashSet<>();
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
                while (rs.next()) {
                    ids.add(q.byConversation() ? sessionOfConversation.get(rs.getString(1)) : rs.getString(1));
                }
            }
            ids.remove(null);
            all.add(new ReadModelIds(q.readModel(), q.kind(), ids));
        }
        return all;
    }

    static List<Measure> measures(Connection db, Map<String, String> sessionOfConversation) throws SQLException {
        List<Measure> all = new ArrayList<>();
        for (MeasureQuery q : MEASURES) {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
                while (rs.next()) {
                    String id = q.byConversation() ? sessionOfConversation.get(rs.getString(1)) : rs.getString(1);
                    if (id != null) {
                        all.add(new Measure(q.readModel(), q.what(), id, rs.getLong(2)));
                    }
                }
            }
        }
        return all;
    }

    /** True once one message is in every read model that projects messages. */
    static boolean messageEverywhere(Connection db, String messageId) throws SQLException {
        for (String table : MESSAGE_TABLES) {
            try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM " + table + " WHERE id::text = ?")) {
                q.setString(1, messageId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Per read model: how many events are parked, their attempts so far and one reason. */
    static Map<String, String> parkedByReadModel(Connection db) throws SQLException {
        Map<String, String> parked = new TreeMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT read_model, count(*), max(attempts), min(reason) FROM projection.parked_event
                GROUP BY read_model""")) {
            while (rs.next()) {
                parked.put(rs.getString(1), "%d events, up to %d attempts, e.g. %s".formatted(rs.getLong(2),
                        rs.getInt(3), rs.getString(4)));
            }
        }
        return parked;
    }

    /** Events the projection has parked (waiting for a predecessor or retried), over every read model. */
    static long parked(Connection db) throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM projection.parked_event")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
