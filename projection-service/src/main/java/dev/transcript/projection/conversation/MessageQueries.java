package dev.transcript.projection.conversation;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

import java.util.List;
import java.util.UUID;

@Repository
class MessageQueries {

    private final NamedParameterJdbcTemplate jdbc;

    MessageQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean conversationExists(UUID conversationId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM gateway.conversations WHERE id = :id)",
                new MapSqlParameterSource("id", conversationId), Boolean.class));
    }

    /** Up to {@code fetch} messages of the conversation in message order, after the message {@code afterId}. */
    List<MessageView> page(UUID conversationId, @Nullable UUID afterId, int fetch) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("conversationId", conversationId)
                .addValue("afterId", afterId)
                .addValue("fetch", fetch);
        return jdbc.query("""
                SELECT id, role::text AS role, content, tokens_used, created_at
                FROM gateway.chat_messages
                WHERE conversation_id = :conversationId
                """ + (afterId == null ? "" : "AND id > :afterId\n") + """
                ORDER BY id
                LIMIT :fetch""", parameters, MessageView.ROW);
    }
}
