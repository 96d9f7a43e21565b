package dev.transcript.projection.chat;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.lang.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One of the caller's conversations.
 *
 * @param context  a JSON object: {@code kind} ({@code chat} or {@code sandbox}) and the {@code sessionId}
 * @param metadata a JSON object, {@code {}} if none
 */
record ConversationView(UUID id, @Nullable String title, String status, @JsonRawValue String context,
                        @JsonRawValue String metadata, int messageCount, Instant createdAt, Instant updatedAt) {

    static final RowMapper<ConversationView> ROW = (row, n) -> new ConversationView(
            Rows.uuid(row, "id"),
            row.getString("title"),
            row.getString("status"),
            row.getString("context"),
            row.getString("metadata"),
            row.getInt("message_count"),
            Rows.instant(row, "created_at"),
            Rows.instant(row, "updated_at"));

    String position() {
        return Cursors.position(updatedAt, id);
    }
}
