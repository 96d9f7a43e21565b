package dev.transcript.projection.session;

import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A session with its container ({@code null} until it has one) and the summary of its conversation. */
record SessionDetail(UUID id, UUID userId, String status, String containerId, Instant createdAt,
                     Instant expiresAt, Instant lastActivityAt, Container container,
                     ConversationSummary conversation) {

    record Container(String id, String name, String image, String status, BigDecimal cpuLimit,
                     int memoryLimitMb, Instant createdAt, Instant startedAt, Instant stoppedAt) {
    }

    record ConversationSummary(UUID id, int messagesCount, Instant createdAt, Instant updatedAt) {
    }

    /** Reads the row of {@link SessionQueries#find}: the session's columns, then the joined ones, prefixed. */
    static final RowMapper<SessionDetail> ROW = (row, n) -> new SessionDetail(
            Rows.uuid(row, "id"),
            Rows.uuid(row, "user_id"),
            row.getString("status"),
            row.getString("container_id"),
            Rows.instant(row, "created_at"),
            Rows.instant(row, "expires_at"),
            Rows.instant(row, "last_activity_at"),
            row.getString("container_row_id") == null ? null : new Container(
                    row.getString("container_row_id"),
                    row.getString("container_name"),
                    row.getString("container_image"),
                    row.getString("container_status"),
                    row.getBigDecimal("container_cpu_limit"),
                    row.getInt("container_memory_limit_mb"),
                    Rows.instant(row, "container_created_at"),
                    Rows.instant(row, "container_started_at"),
                    Rows.instant(row, "container_stopped_at")),
            Rows.uuid(row, "conversation_id") == null ? null : new ConversationSummary(
                    Rows.uuid(row, "conversation_id"),
                    row.getInt("conversation_messages_count"),
                    Rows.instant(row, "conversation_created_at"),
                    Rows.instant(row, "conversation_updated_at")));
}
