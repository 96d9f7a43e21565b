package dev.transcript.command.pipeline;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;

/** Every registered user holds exactly one email claim, written in the same transaction as UserRegistered. */
@Component
class JdbcPipelineUsers implements KnownUsers {

    private final JdbcTemplate jdbc;

    JdbcPipelineUsers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean exists(UUID userId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM eventstore.claimed_email WHERE user_id = ?)", Boolean.class, userId));
    }
}
