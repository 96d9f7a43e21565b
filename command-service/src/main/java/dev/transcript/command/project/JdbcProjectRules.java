package dev.transcript.command.project;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The project rules that span aggregates, answered from the command side's own claim tables, which are
 * written in the same transaction as the events they stand for: a user has an email claim from its
 * registration on, a session a container-name claim from its ContainerCreated on.
 */
@Component
class JdbcProjectRules implements KnownUsers, SandboxSessions {

    private final JdbcTemplate jdbc;

    JdbcProjectRules(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean exists(UUID userId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM eventstore.claimed_email WHERE user_id = ?)", Boolean.class, userId));
    }

    @Override
    public boolean hasContainer(UUID sessionId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM eventstore.claimed_container_name WHERE session_id = ?)",
                Boolean.class, sessionId));
    }
}
