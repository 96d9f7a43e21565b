package dev.transcript.projection.chat;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The chat read API's SQL, run through {@link ChatReadDatabase} as the requesting user. No query says whose rows
 * it wants: row-level security ({@code reader_own_rows}) answers with the requesting user's only, so a query
 * cannot leak another user's rows by forgetting a {@code WHERE user_id}. That is the point of this class.
 */
@Repository
class ChatQueries {

    /** Where a page of conversations starts: after (updatedAt, id), in the list's most-recent-first order. */
    record AfterConversation(Instant updatedAt, UUID id) {
    }

    /** Where a page of messages starts: after (createdAt, id), in the conversation's order. */
    record AfterMessage(Instant createdAt, UUID id) {
    }

    private final ChatReadDatabase database;

    ChatQueries(ChatReadDatabase database) {
        this.database = database;
    }

    /**
     * Up to {@code fetch} of the user's conversations, most recently changed first ((updated_at, id) descending),
     * after {@code after}: a keyset page, never OFFSET.
     */
    List<ConversationView> conversations(UUID userId, @Nullable AfterConversation after, int fetch) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("fetch", fetch);
        String where = "";
        if (after != null) {
            where = "WHERE (updated_at, id) < (:afterUpdatedAt, :afterId)\n";
            parameters.addValue("afterUpdatedAt", Timestamp.from(after.updatedAt()));
            parameters.addValue("afterId", after.id());
        }
        String sql = """
                SELECT id, title, status, context::text AS context, metadata::text AS metadata, message_count,
                       created_at, updated_at
                FROM chat.conversations
                """ + where + """
                ORDER BY updated_at DESC, id DESC
                LIMIT :fetch""";
        return database.asUser(userId, jdbc -> jdbc.query(sql, parameters, ConversationView.ROW));
    }

    /**
     * Up to {@code fetch} messages of the conversation in order ((created_at, id): a message's id grows with its
     * number within its conversation) after {@code after}; {@code null} when the user has no such conversation,
     * whether it does not exist or is another user's: row-level security hides both alike.
     */
    @Nullable
    List<ChatMessageView> messages(UUID userId, UUID conversationId, @Nullable AfterMessage after, int fetch) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("conversationId", conversationId)
                .addValue("fetch", fetch);
        String where = "WHERE conversation_id = :conversationId\n";
        if (after != null) {
            where += "  AND (created_at, id) > (:afterCreatedAt, :afterId)\n";
            parameters.addValue("afterCreatedAt", Timestamp.from(after.createdAt()));
            parameters.addValue("afterId", after.id());
        }
        String sql = """
                SELECT id, role, content, model, tokens_used, metadata::text AS metadata, created_at
                FROM chat.messages
                """ + where + """
                ORDER BY created_at, id
                LIMIT :fetch""";
        return database.asUser(userId, jdbc -> visible(jdbc, conversationId)
                ? jdbc.query(sql, parameters, ChatMessageView.ROW)
                : null);
    }

    /**
     * The user's charges created on the UTC days {@code from} through {@code to}, summed per day, model and
     * currency, in that order.
     */
    List<DailyUsage> dailyUsage(UUID userId, LocalDate from, LocalDate to) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("from", Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .addValue("to", Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        String sql = """
                SELECT (created_at AT TIME ZONE 'UTC')::date AS day, model, currency,
                       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                       sum(total_tokens) AS total_tokens, count(*) AS charges,
                       count(*) FILTER (WHERE cost IS NULL) AS unpriced_charges,
                       coalesce(sum(cost), 0) AS cost
                FROM chat.usage_tracking
                WHERE created_at >= :from AND created_at < :to
                GROUP BY 1, model, currency
                ORDER BY 1, model, currency""";
        return database.asUser(userId, jdbc -> jdbc.query(sql, parameters, DailyUsage.ROW));
    }

    private static boolean visible(NamedParameterJdbcTemplate jdbc, UUID conversationId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM chat.conversations WHERE id = :id)",
                new MapSqlParameterSource("id", conversationId), Boolean.class));
    }
}
