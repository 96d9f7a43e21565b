package dev.transcript.projection.todo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.StatementBatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of the todo read model, one method per change, sent in JDBC batches by {@link StatementBatch}.
 * Every statement is idempotent on its own (inserts ignore an existing key, updates assign values or move a
 * time by {@code GREATEST}, a delete of a missing row deletes nothing), so a replay can never double a row
 * even without the bookkeeping in front of it.
 */
@Component
class TodoWrites {

    private final JdbcTemplate jdbc;
    private final StatementBatch statements;
    private final ObjectMapper json;
    private final MessageRows messageRows;

    TodoWrites(JdbcTemplate jdbc, StatementBatch statements, ObjectMapper json) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.json = json;
        this.messageRows = new MessageRows(jdbc);
    }

    boolean userExists(UUID userId) {
        statements.flush();
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM todo.users WHERE id = ?)", Boolean.class, userId));
    }

    void insertUser(UserRegistered event, Instant at) {
        statements.add("""
                INSERT INTO todo.users (id, email, password_hash, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.userId(), event.email(), event.passwordHash(), ts(at), ts(at));
    }

    void insertConversation(UUID conversationId, UUID userId, String title, Instant at) {
        statements.add("""
                INSERT INTO todo.conversations (id, user_id, title, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                conversationId, userId, title, ts(at), ts(at));
    }

    void titleConversation(UUID conversationId, String title, Instant at) {
        statements.add("UPDATE todo.conversations SET title = ?, updated_at = GREATEST(updated_at, ?) WHERE id = ?",
                title, ts(at), conversationId);
    }

    /**
     * The message as its conversation's owner's (the conversation was inserted by an earlier event of the same
     * session); consecutive messages are written together, by {@link MessageRows}.
     */
    void insertMessage(MessagePosted event, String role, Instant at) {
        statements.add(messageRows, event.messageId(), event.conversationId(), role, event.content(),
                jsonOrNull(event.toolCalls()), ts(at));
    }

    void insertTask(TaskCreated event, Instant at) {
        statements.add("""
                INSERT INTO todo.tasks (id, user_id, title, description, completed, created_at, updated_at)
                VALUES (?, ?, ?, ?, FALSE, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.taskId(), event.userId(), event.title(), event.description(), ts(at), ts(at));
    }

    void renameTask(UUID taskId, String title, Instant at) {
        statements.add("UPDATE todo.tasks SET title = ?, updated_at = ? WHERE id = ?", title, ts(at), taskId);
    }

    void describeTask(UUID taskId, String description, Instant at) {
        statements.add("UPDATE todo.tasks SET description = ?, updated_at = ? WHERE id = ?", description, ts(at), taskId);
    }

    void completeTask(UUID taskId, boolean completed, Instant at) {
        statements.add("UPDATE todo.tasks SET completed = ?, updated_at = ? WHERE id = ?", completed, ts(at), taskId);
    }

    void deleteTask(UUID taskId) {
        statements.add("DELETE FROM todo.tasks WHERE id = ?", taskId);
    }

    private String jsonOrNull(List<Map<String, Object>> toolCalls) {
        if (toolCalls == null) {
            return null;
        }
        try {
            return json.writeValueAsString(toolCalls);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool calls that are not JSON", e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /**
     * A run of posted messages written with two set-based statements over arrays, whatever the run's length: the
     * messages, each taking its conversation's owner, then each conversation's last activity. Times move by
     * {@code GREATEST}, so the order of the rows within a run does not matter and a replay changes nothing.
     */
    private static final class MessageRows implements StatementBatch.Bulk {

        static final int MESSAGE_ID = 0, CONVERSATION_ID = 1, ROLE = 2, CONTENT = 3, TOOL_CALLS = 4, AT = 5;

        private final JdbcTemplate jdbc;

        MessageRows(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void write(List<Object[]> rows) {
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("""
                        INSERT INTO todo.messages (id, conversation_id, user_id, role, content, tool_calls, created_at)
                        SELECT m.id, c.id, c.user_id, m.role, m.content, m.tool_calls::jsonb, m.created_at
                        FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                            AS m (id, conversation_id, role, content, tool_calls, created_at)
                        JOIN todo.conversations c ON c.id = m.conversation_id
                        ON CONFLICT (id) DO NOTHING""");
                insert.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, MESSAGE_ID));
                insert.setArray(2, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
                insert.setArray(3, StatementBatch.Bulk.column(connection, "text", rows, ROLE));
                insert.setArray(4, StatementBatch.Bulk.column(connection, "text", rows, CONTENT));
                insert.setArray(5, StatementBatch.Bulk.column(connection, "text", rows, TOOL_CALLS));
                insert.setArray(6, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
                return insert;
            });
            jdbc.update(connection -> {
                var conversations = connection.prepareStatement("""
                        UPDATE todo.conversations c SET updated_at = GREATEST(c.updated_at, v.at)
                        FROM (SELECT conversation_id, max(at) AS at
                              FROM unnest(?::uuid[], ?::timestamptz[]) AS m (conversation_id, at)
                              GROUP BY conversation_id) v
                        WHERE c.id = v.conversation_id""");
                conversations.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
                conversations.setArray(2, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
                return conversations;
            });
        }
    }
}
