package dev.transcript.projection.session;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.UUID;

/** A session as a list shows it; its position in the list is (createdAt, id), newest first. */
record SessionSummary(UUID id, UUID userId, String status, String containerId, Instant createdAt,
                      Instant expiresAt, Instant lastActivityAt) {

    static final RowMapper<SessionSummary> ROW = (row, n) -> new SessionSummary(
            Rows.uuid(row, "id"),
            Rows.uuid(row, "user_id"),
            row.getString("status"),
            row.getString("container_id"),
            Rows.instant(row, "created_at"),
            Rows.instant(row, "expires_at"),
            Rows.instant(row, "last_activity_at"));

    String position() {
        return Cursors.position(createdAt, id);
    }
}
