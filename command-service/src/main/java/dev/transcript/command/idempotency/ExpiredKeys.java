package dev.transcript.command.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import java.time.Duration;

/**
 * Forgets Idempotency-Keys older than the retention period: a client retries within minutes, not weeks, and a
 * key kept for ever would grow the table without end. A request that reuses an expired key runs as a new one.
 * Every instance sweeps; the DELETE is the same whoever runs it, so no coordination is needed.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ExpiredKeys {

    private static final Logger log = LoggerFactory.getLogger(ExpiredKeys.class);

    private final JdbcTemplate jdbc;
    private final Duration retention;

    ExpiredKeys(JdbcTemplate jdbc, @Value("${transcript.idempotency.retention:24h}") Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    @Scheduled(initialDelayString = "${transcript.idempotency.sweep-interval:1h}",
            fixedDelayString = "${transcript.idempotency.sweep-interval:1h}")
    int sweep() {
        int deleted = jdbc.update("DELETE FROM eventstore.idempotency_key WHERE created_at < now() - make_interval(secs => ?)",
                (double) retention.toSeconds());
        if (deleted > 0) {
            log.info("forgot {} idempotency keys older than {}", deleted, retention);
        }
        return deleted;
    }
}
