package dev.transcript.command.user;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.Locale;
import java.util.UUID;

/**
 * Claims live in {@code eventstore.claimed_email}, written in the command's own transaction: the claim
 * and the {@code UserRegistered} event commit together or not at all. A concurrent registration of the
 * same address waits on the primary key and then finds it taken.
 */
@Component
class JdbcEmailClaims implements EmailClaims {

    private final JdbcTemplate jdbc;

    JdbcEmailClaims(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean claim(String email, UUID userId) {
        return jdbc.update("""
                INSERT INTO eventstore.claimed_email (email, user_id) VALUES (?, ?)
                ON CONFLICT (email) DO NOTHING""", email.toLowerCase(Locale.ROOT), userId) == 1;
    }
}
