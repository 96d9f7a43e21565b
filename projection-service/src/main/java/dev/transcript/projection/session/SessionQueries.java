package dev.transcript.projection.session;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Repository
class SessionQueries {

    static final List<String> STATUSES = List.of("pending", "active", "stopped", "expired", "error");

    /** Where a page starts: after the session at (createdAt, id), in the list's newest-first order. */
    record After(Instant createdAt, UUID id) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    SessionQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SessionDetail> find(UUID id) {
        return jdbc.query("""
                SELECT s.id, s.user_id, s.status::text AS status, s.container_id, s.created_at, s.expires_at,
                       s.last_activity_at,
                       c.id AS container_row_id, c.container_name, c.image AS container_image,
                       c.status::text AS container_status, c.cpu_limit AS container_cpu_limit,
                       c.memory_limit_mb AS container_memory_limit_mb, c.created_at AS container_created_at,
                       c.started_at AS container_started_at, c.stopped_at AS container_stopped_at,
                       v.id AS conversation_id, v.messages_count AS conversation_messages_count,
                       v.created_at AS conversation_created_at, v.updated_at AS conversation_updated_at
                FROM gateway.sessions s
                LEFT JOIN gateway.containers c ON c.session_id = s.id
                LEFT JOIN gateway.conversations v ON v.session_id = s.id
                WHERE s.id = :id""", new MapSqlParameterSource("id", id), SessionDetail.ROW).stream().findFirst();
    }

    /**
     * Up to {@code fetch} sessions newest first, (created_at, id) descending, after {@code after}. A keyset
     * page: the row comparison continues exactly where the last page ended, whatever was inserted since,
     * walking ix_session_created_at, or ix_session_user_created_at / ix_session_status_created_at when
     * filtered; never OFFSET.
     */
    List<SessionSummary> list(@Nullable UUID userId, @Nullable String status, @Nullable After after, int fetch) {
        List<String> where = new ArrayList<>();
        MapSqlParameterSource parameters = new MapSqlParameterSource("fetch", fetch);
        if (userId != null) {
            where.add("user_id = :userId");
            parameters.addValue("userId", userId);
        }
        if (status != null) {
            where.add("status = CAST(:status AS gateway.session_status)");
            parameters.addValue("status", status);
        }
        if (after != null) {
            where.add("(created_at, id) < (:afterCreatedAt, :afterId)");
            parameters.addValue("afterCreatedAt", Timestamp.from(after.createdAt()));
            parameters.addValue("afterId", after.id());
        }
        return jdbc.query("""
                SELECT id, user_id, status::text AS status, container_id, created_at, expires_at, last_activity_at
                FROM gateway.sessions
                """ + (where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where) + "\n") + """
                ORDER BY created_at DESC, id DESC
                LIMIT :fetch""", parameters, SessionSummary.ROW);
    }
}
