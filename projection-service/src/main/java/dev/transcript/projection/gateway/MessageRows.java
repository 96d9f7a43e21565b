package dev.transcript.projection.gateway;

import dev.transcript.projection.stream.StatementBatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/**
 * A run of posted messages written with three set-based statements over arrays, whatever the run's length:
 * the messages, each conversation's count and last update, each session's last activity. Counts and times
 * move by {@code GREATEST}, so the order of the rows within a run does not matter and a replay changes
 * nothing.
 */
@Component
class MessageRows implements StatementBatch.Bulk {

    static final int MESSAGE_ID = 0, CONVERSATION_ID = 1, SESSION_ID = 2, ROLE = 3, CONTENT = 4, TOKENS = 5,
            NUMBER = 6, AT = 7;

    private final JdbcTemplate jdbc;

    MessageRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void write(List<Object[]> rows) {
        jdbc.update(connection -> {
            var insert = connection.prepareStatement("""
                    INSERT INTO gateway.chat_messages (id, conversation_id, role, content, tokens_used, created_at)
                    SELECT id, conversation_id, role::gateway.chat_message_role, content, tokens_used, created_at
                    FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::int[], ?::timestamptz[])
                        AS m (id, conversation_id, role, content, tokens_used, created_at)
                    ON CONFLICT (id) DO NOTHING""");
            insert.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, MESSAGE_ID));
            insert.setArray(2, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
            insert.setArray(3, StatementBatch.Bulk.column(connection, "text", rows, ROLE));
            insert.setArray(4, StatementBatch.Bulk.column(connection, "text", rows, CONTENT));
            insert.setArray(5, StatementBatch.Bulk.column(connection, "int4", rows, TOKENS));
            insert.setArray(6, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
            return insert;
        });
        jdbc.update(connection -> {
            var conversations = connection.prepareStatement("""
                    UPDATE gateway.conversations c
                    SET messages_count = GREATEST(c.messages_count, v.number), updated_at = GREATEST(c.updated_at, v.at)
                    FROM (SELECT conversation_id, max(number) AS number, max(at) AS at
                          FROM unnest(?::uuid[], ?::int[], ?::timestamptz[]) AS m (conversation_id, number, at)
                          GROUP BY conversation_id) v
                    WHERE c.id = v.conversation_id""");
            conversations.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
            conversations.setArray(2, StatementBatch.Bulk.column(connection, "int4", rows, NUMBER));
            conversations.setArray(3, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
            return conversations;
        });
        jdbc.update(connection -> {
            var sessions = connection.prepareStatement("""
                    UPDATE gateway.sessions s SET last_activity_at = GREATEST(s.last_activity_at, v.at)
                    FROM (SELECT session_id, max(at) AS at
                          FROM unnest(?::uuid[], ?::timestamptz[]) AS m (session_id, at) GROUP BY session_id) v
                    WHERE s.id = v.session_id""");
            sessions.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, SESSION_ID));
            sessions.setArray(2, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
            return sessions;
        });
    }

    static Object[] row(UUID messageId, UUID conversationId, UUID sessionId, String role, String content,
                        int tokensUsed, int number, Timestamp at) {
        return new Object[]{messageId, conversationId, sessionId, role, content, tokensUsed, number, at};
    }
}
