package dev.transcript.chaos;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads every event of eventstore.domain_event_entry, with the ids its payload names. */
final class EventStore {

    private static final String EVENTS = """
            SELECT aggregate_identifier, sequence_number, event_identifier, time_stamp,
                   regexp_replace(payload_type, '^.*[.$]', '') AS type,
                   p ->> 'userId' AS user_id, p ->> 'sessionId' AS session_id, p ->> 'messageId' AS message_id,
                   p ->> 'usageId' AS usage_id, p ->> 'checkpointId' AS checkpoint_id,
                   (p ->> 'messageNumber')::int AS message_number, p ->> 'content' AS content
            FROM (SELECT e.*, convert_from(e.payload, 'UTF8')::jsonb AS p FROM eventstore.domain_event_entry e) e
            ORDER BY global_index""";

    private EventStore() {
    }

    static List<StoredEvent> read(Connection db) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(EVENTS)) {
            while (rs.next()) {
                String type = rs.getString("type");
                events.add(new StoredEvent(rs.getString("aggregate_identifier"), rs.getLong("sequence_number"),
                        rs.getString("event_identifier"), type, entityId(type, rs), rs.getInt("message_number"),
                        commandKey(rs.getString("content")), Instant.parse(rs.getString("time_stamp"))));
            }
        }
        return events;
    }

    private static String entityId(String type, ResultSet rs) throws SQLException {
        for (Kind kind : Kind.values()) {
            if (kind.eventType.equals(type)) {
                return rs.getString(switch (kind) {
                    case USER -> "user_id";
                    case SESSION -> "session_id";
                    case MESSAGE -> "message_id";
                    case TOKEN_USAGE -> "usage_id";
                    case CHECKPOINT -> "checkpoint_id";
                });
            }
        }
        return null;
    }

    /** The load writes "chaos KEY message N" as content; anything else has no key. */
    static String commandKey(String content) {
        if (content == null || !content.startsWith("chaos ")) {
            return null;
        }
        String[] words = content.split(" ", 3);
        return words.length >= 2 ? words[1] : null;
    }
}
