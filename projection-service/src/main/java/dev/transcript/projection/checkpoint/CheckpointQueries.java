package dev.transcript.projection.checkpoint;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Repository
class CheckpointQueries {

    /** Where a page starts: after the checkpoint at (messageNumber, createdAt, id). */
    record After(int messageNumber, Instant createdAt, UUID id) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    CheckpointQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean sessionExists(UUID sessionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM gateway.sessions WHERE id = :id)",
                new MapSqlParameterSource("id", sessionId), Boolean.class));
    }

    /** Up to {@code fetch} checkpoints of the session (walking ix_git_checkpoint_session_order) in order, after {@code after}. */
    List<CheckpointView> page(UUID sessionId, @Nullable After after, int fetch) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("sessionId", sessionId).addValue("fetch", fetch);
        if (after != null) {
            parameters.addValue("afterNumber", after.messageNumber())
                    .addValue("afterCreatedAt", Timestamp.from(after.createdAt()))
                    .addValue("afterId", after.id());
        }
        return jdbc.query("""
                SELECT id, commit_hash, message_number, description, files_changed, created_at
                FROM gateway.git_checkpoints
                WHERE session_id = :sessionId
                """ + (after == null ? "" : "AND (message_number, created_at, id) > (:afterNumber, :afterCreatedAt, :afterId)\n") + """
                ORDER BY message_number, created_at, id
                LIMIT :fetch""", parameters, CheckpointView.ROW);
    }
}
