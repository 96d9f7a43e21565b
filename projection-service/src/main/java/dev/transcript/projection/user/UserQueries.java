package dev.transcript.projection.user;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.Optional;
import java.util.UUID;

@Repository
class UserQueries {

    private final JdbcTemplate jdbc;

    UserQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserView> find(UUID id) {
        return jdbc.query("""
                SELECT id, email, role::text AS role, created_at FROM gateway.users WHERE id = ?""",
                UserView.ROW, id).stream().findFirst();
    }
}
