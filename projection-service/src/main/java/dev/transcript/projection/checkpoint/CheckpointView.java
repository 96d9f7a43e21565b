package dev.transcript.projection.checkpoint;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Rows;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.UUID;

/** A git checkpoint; its position in its session's list is (messageNumber, createdAt, id). */
record CheckpointView(UUID id, String commitHash, int messageNumber, String description, int filesChanged,
                      Instant createdAt) {

    static final RowMapper<CheckpointView> ROW = (row, n) -> new CheckpointView(
            Rows.uuid(row, "id"),
            row.getString("commit_hash"),
            row.getInt("message_number"),
            row.getString("description"),
            row.getInt("files_changed"),
            Rows.instant(row, "created_at"));

    String position() {
        return Cursors.position(messageNumber, createdAt, id);
    }
}
