package dev.transcript.projection.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.StatementBatch;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The SQL of the chat read model (and of {@code auth.users}), one method per change, sent in JDBC batches by
 * {@link StatementBatch}. Every statement is idempotent on its own (inserts ignore an existing key, updates
 * assign values or move a count or a time forward, and touch no row they would not change), so a replay can
 * never double a row even without the bookkeeping in front of it.
 *
 * <p>{@code chat.conversations.updated_at}: its trigger ({@code chat.set_updated_at}) stamps {@code now()} on an
 * UPDATE that leaves {@code updated_at} unchanged. So every UPDATE here sets it, to the event's time, and one
 * that would change nothing is not run at all (the {@code WHERE} says what must differ): a redelivery fires no
 * trigger, and a rebuild reproduces the column. Should a change arrive with an event time not after the row's
 * {@code updated_at} (two changes in one microsecond, or a command host's clock behind another's), the row moves
 * by one microsecond instead of to the time of the rebuild.
 */
@Component
class ChatWrites {

    static final String SANDBOX = "sandbox";
    static final String CHAT = "chat";

    /** The time a changed conversation's {@code updated_at} takes: the event's, or 1 µs on if that is not later. */
    private static final String MOVED_UPDATED_AT = """
            CASE WHEN %2$s > %1$s.updated_at THEN %2$s ELSE %1$s.updated_at + interval '1 microsecond' END""";

    /** What {@code chat.usage_tracking.cost NUMERIC(20, 10)} holds without rounding. */
    private static final int COST_SCALE = 10;
    private static final int COST_INTEGER_DIGITS = 10;

    private final JdbcTemplate jdbc;
    private final StatementBatch statements;
    private final ObjectMapper json;
    private final MessageRows messageRows;

    ChatWrites(JdbcTemplate jdbc, StatementBatch statements, ObjectMapper json) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.json = json;
        this.messageRows = new MessageRows(jdbc);
    }

    // --- auth.users

    boolean userExists(UUID userId) {
        statements.flush();
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM auth.users WHERE id = ?)", Boolean.class, userId));
    }

    void insertUser(UserRegistered event, Instant at) {
        statements.add("""
                INSERT INTO auth.users (id, email, is_active, created_at, updated_at)
                VALUES (?, ?, TRUE, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.userId(), event.email(), ts(at), ts(at));
    }

    void setUserActive(UUID userId, boolean active, Instant at) {
        statements.add("UPDATE auth.users SET is_active = ?, updated_at = GREATEST(updated_at, ?) WHERE id = ?",
                active, ts(at), userId);
    }

    // --- chat.conversations

    /**
     * The session's conversation, active, with its kind and session in {@code context}; and the session's owner
     * and conversation in {@code projection.session_owner}, where the session's later events, which name only
     * the session, find the conversation.
     */
    void insertConversation(UUID sessionId, UUID conversationId, UUID userId, String title, String kind, Instant at) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("kind", kind);
        context.put("sessionId", sessionId.toString());
        statements.add("""
                INSERT INTO chat.conversations (id, user_id, title, status, context, created_at, updated_at)
                VALUES (?, ?, ?, 'active', ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING""",
                conversationId, userId, title, toJson(context), ts(at), ts(at));
        statements.add("""
                INSERT INTO projection.session_owner (session_id, user_id, conversation_id) VALUES (?, ?, ?)
                ON CONFLICT (session_id) DO NOTHING""",
                sessionId, userId, conversationId);
    }

    void titleConversation(UUID conversationId, String title, Instant at) {
        statements.add("UPDATE chat.conversations c SET title = ?, updated_at = "
                        + MOVED_UPDATED_AT.formatted("c", "?::timestamptz")
                        + " WHERE c.id = ? AND (c.title IS DISTINCT FROM ? OR c.updated_at < ?)",
                title, ts(at), ts(at), conversationId, title, ts(at));
    }

    void closeConversation(UUID sessionId, Instant at) {
        statements.add("UPDATE chat.conversations c SET status = 'closed', updated_at = "
                        + MOVED_UPDATED_AT.formatted("c", "?::timestamptz") + """
                         FROM projection.session_owner o
                        WHERE o.session_id = ? AND c.id = o.conversation_id AND c.status <> 'closed'""",
                ts(at), ts(at), sessionId);
    }

    // --- chat.messages

    /** Consecutive messages are written together, by {@link MessageRows}. */
    void insertMessage(MessagePosted event, Instant at) {
        statements.add(messageRows, event.messageId(), event.conversationId(),
                event.role().name().toLowerCase(Locale.ROOT), event.content(), event.model(), event.tokensUsed(),
                toJson(event.metadata() == null ? Map.of() : event.metadata()), event.messageNumber(), ts(at));
    }

    // --- chat.usage_tracking

    /**
     * The charge as its conversation's owner's, with the event's cost as it is: never recomputed from a price, and
     * NULL (unknown) when the event has none. A cost the column cannot hold exactly is refused, not rounded: the
     * event fails and is parked, visibly. A conversation that is not there (its session's start never applied)
     * fails the insert too, rather than losing the charge.
     */
    void insertUsage(TokenUsageRecorded event, Instant at) {
        BigDecimal cost = event.cost();
        if (cost != null && !fitsTheCostColumn(cost)) {
            throw new DataIntegrityViolationException("cost " + cost.toPlainString() + " of charge " + event.usageId()
                    + " does not fit NUMERIC(20, 10) exactly: it would be rounded");
        }
        statements.add("""
                INSERT INTO chat.usage_tracking (id, user_id, conversation_id, message_id, model, input_tokens,
                    output_tokens, total_tokens, cost, currency, created_at)
                VALUES (?, (SELECT c.user_id FROM chat.conversations c WHERE c.id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING""",
                event.usageId(), event.conversationId(), event.conversationId(), event.chatMessageId(), event.model(),
                event.inputTokens(), event.outputTokens(), event.totalTokens(), cost, event.currency(), ts(at));
    }

    static boolean fitsTheCostColumn(BigDecimal cost) {
        BigDecimal exact = cost.stripTrailingZeros();
        return Math.max(exact.scale(), 0) <= COST_SCALE && exact.precision() - exact.scale() <= COST_INTEGER_DIGITS;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + value, e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    /**
     * A run of posted messages written with two set-based statements over arrays, whatever the run's length: the
     * messages, each taking its conversation's owner, then each conversation's count and last change. Counts and
     * times move forward only, so the order of the rows within a run does not matter and a replay changes nothing.
     * A message whose conversation is not there fails the run (user_id NOT NULL) rather than being lost.
     */
    private static final class MessageRows implements StatementBatch.Bulk {

        static final int MESSAGE_ID = 0, CONVERSATION_ID = 1, ROLE = 2, CONTENT = 3, MODEL = 4, TOKENS = 5,
                METADATA = 6, NUMBER = 7, AT = 8;

        private final JdbcTemplate jdbc;

        MessageRows(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void write(List<Object[]> rows) {
            jdbc.update(connection -> {
                var insert = connection.prepareStatement("""
                        INSERT INTO chat.messages (id, conversation_id, user_id, role, content, model, tokens_used,
                            metadata, created_at)
                        SELECT m.id, m.conversation_id, c.user_id, m.role, m.content, m.model, m.tokens_used,
                            m.metadata::jsonb, m.created_at
                        FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[],
                                    ?::timestamptz[])
                            AS m (id, conversation_id, role, content, model, tokens_used, metadata, created_at)
                        LEFT JOIN chat.conversations c ON c.id = m.conversation_id
                        ON CONFLICT (id) DO NOTHING""");
                insert.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, MESSAGE_ID));
                insert.setArray(2, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
                insert.setArray(3, StatementBatch.Bulk.column(connection, "text", rows, ROLE));
                insert.setArray(4, StatementBatch.Bulk.column(connection, "text", rows, CONTENT));
                insert.setArray(5, StatementBatch.Bulk.column(connection, "text", rows, MODEL));
                insert.setArray(6, StatementBatch.Bulk.column(connection, "int4", rows, TOKENS));
                insert.setArray(7, StatementBatch.Bulk.column(connection, "text", rows, METADATA));
                insert.setArray(8, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
                return insert;
            });
            jdbc.update(connection -> {
                var conversations = connection.prepareStatement("""
                        UPDATE chat.conversations c
                        SET message_count = GREATEST(c.message_count, v.number),
                            updated_at = """ + MOVED_UPDATED_AT.formatted("c", "v.at") + """

                        FROM (SELECT conversation_id, max(number) AS number, max(at) AS at
                              FROM unnest(?::uuid[], ?::int[], ?::timestamptz[]) AS m (conversation_id, number, at)
                              GROUP BY conversation_id) v
                        WHERE c.id = v.conversation_id AND (v.number > c.message_count OR v.at > c.updated_at)""");
                conversations.setArray(1, StatementBatch.Bulk.column(connection, "uuid", rows, CONVERSATION_ID));
                conversations.setArray(2, StatementBatch.Bulk.column(connection, "int4", rows, NUMBER));
                conversations.setArray(3, StatementBatch.Bulk.column(connection, "timestamptz", rows, AT));
                return conversations;
            });
        }
    }
}
