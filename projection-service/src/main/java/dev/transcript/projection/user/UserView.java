package dev.transcript.projection.user;

import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.UUID;

/** A user as the read API shows it: never its password hash, which is not even selected. */
record UserView(UUID id, String email, String role, Instant createdAt) {

    static final RowMapper<UserView> ROW = (row, n) -> new UserView(
            row.getObject("id", UUID.class),
            row.getString("email"),
            row.getString("role"),
            row.getTimestamp("created_at").toInstant());
}
