package dev.transcript.command.idempotency;

import dev.transcript.command.LocalInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@LocalInfrastructure
class ExpiredKeysIT {

    @Autowired
    ExpiredKeys expiredKeys;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void keys_older_than_the_retention_are_forgotten_and_younger_ones_kept() {
        String old = "old-" + UUID.randomUUID();
        String young = "young-" + UUID.randomUUID();
        jdbc.update("INSERT INTO eventstore.idempotency_key (idempotency_key, fingerprint, created_at) "
                + "VALUES (?, 'f', now() - interval '25 hours')", old);
        jdbc.update("INSERT INTO eventstore.idempotency_key (idempotency_key, fingerprint, created_at) "
                + "VALUES (?, 'f', now() - interval '23 hours')", young);

        assertThat(expiredKeys.sweep()).isGreaterThanOrEqualTo(1);

        assertThat(jdbc.queryForList("SELECT idempotency_key FROM eventstore.idempotency_key WHERE idempotency_key IN (?, ?)",
                String.class, old, young)).containsExactly(young);
    }
}
