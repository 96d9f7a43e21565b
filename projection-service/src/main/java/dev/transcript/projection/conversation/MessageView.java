package dev.transcript.projection.conversation;

import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.UUID;

/**
 * A chat message. Its id is a UUIDv8 whose first 32 bits are the message number, so ordering by id (as
 * PostgreSQL compares UUIDs, byte by byte) is ordering by message number: the id alone is the position.
 */
record MessageView(UUID id, String role, String content, int tokensUsed, Instant createdAt) {

    static final RowMapper<MessageView> ROW = (row, n) -> new MessageView(
            Rows.uuid(row, "id"),
            row.getString("role"),
            row.getString("content"),
            row.getInt("tokens_used"),
            Rows.instant(row, "created_at"));
}
