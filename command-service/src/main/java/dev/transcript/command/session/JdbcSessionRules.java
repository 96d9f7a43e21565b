package dev.transcript.command.session;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.UUID;

/**
 * The session rules that span aggregates, answered from the command side's own tables in the command's
 * transaction: a container-name claim commits with its {@code ContainerCreated} event or not at all.
 */
@Component
class JdbcSessionRules implements KnownUsers, ContainerNameClaims {

    private final JdbcTemplate jdbc;

    JdbcSessionRules(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean exists(UUID userId) {
        // Every registered user holds exactly one email claim, written with UserRegistered.
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM eventstore.claimed_email WHERE user_id = ?)", Boolean.class, userId));
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean claim(String containerName, UUID sessionId) {
        return jdbc.update("""
                INSERT INTO eventstore.claimed_container_name (container_name, session_id) VALUES (?, ?)
                ON CONFLICT (container_name) DO NOTHING""", containerName, sessionId) == 1;
    }
}
