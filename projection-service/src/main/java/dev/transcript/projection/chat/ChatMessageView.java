package dev.transcript.projection.chat;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.lang.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of a conversation of the caller's.
 *
 * @param role     who wrote it: {@code user}, {@code assistant} or {@code system}
 * @param model    the model that generated it; null for a human's message
 * @param metadata a JSON object, {@code {}} if none
 */
record ChatMessageView(UUID id, String role, String content, @Nullable String model, int tokensUsed,
                       @JsonRawValue String metadata, Instant createdAt) {

    static final RowMapper<ChatMessageView> ROW = (row, n) -> new ChatMessageView(
            Rows.uuid(row, "id"),
            row.getString("role"),
            row.getString("content"),
            row.getString("model"),
            row.getInt("tokens_used"),
            row.getString("metadata"),
            Rows.instant(row, "created_at"));

    String position() {
        return Cursors.position(createdAt, id);
    }
}
