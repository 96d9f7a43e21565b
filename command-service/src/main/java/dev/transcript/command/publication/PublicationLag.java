package dev.transcript.command.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far publication is behind the store, measured from the store itself (not from acknowledged sends,
 * which stop counting when nothing is sent): the events stored after the publisher's token, and the age
 * of the oldest of them (0 when caught up). Read when the gauges are collected, at most once a second.
 */
final class PublicationLag {

    private static final Duration FRESH = Duration.ofSeconds(1);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Measured last = new Measured(Instant.MIN, 0, 0);

    private record Measured(Instant at, long behindEvents, double oldestSeconds) {
    }

    PublicationLag(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    void register(MeterRegistry meters) {
        Gauge.builder("transcript.publication.behind.events", this, lag -> lag.measured().behindEvents())
                .description("events in the store after the publisher's token: not yet acknowledged by the broker")
                .register(meters);
        Gauge.builder("transcript.publication.oldest.unpublished", this, lag -> lag.measured().oldestSeconds())
                .baseUnit("seconds")
                .description("age of the oldest stored event not yet acknowledged by the broker; 0 when caught up")
                .register(meters);
    }

    private Measured measured() {
        Measured current = last;
        Instant now = clock.instant();
        if (Duration.between(current.at(), now).compareTo(FRESH) < 0) {
            return current;
        }
        long position = tokenPosition();
        Long behind = jdbc.queryForObject(
                "SELECT count(*) FROM eventstore.domain_event_entry WHERE global_index > ?", Long.class, position);
        List<String> oldest = jdbc.queryForList("""
                SELECT time_stamp FROM eventstore.domain_event_entry WHERE global_index > ?
                ORDER BY global_index LIMIT 1""", String.class, position);
        double age = oldest.isEmpty() ? 0
                : Math.max(0, Duration.between(Instant.parse(oldest.getFirst()), now).toMillis() / 1000.0);
        Measured measured = new Measured(now, behind == null ? 0 : behind, age);
        last = measured;
        return measured;
    }

    /** The global index every segment's token has passed; -1 before the publisher stores one. */
    private long tokenPosition() {
        List<byte[]> tokens = jdbc.query("SELECT token FROM eventstore.token_entry WHERE processor_name = ?",
                (row, n) -> row.getBytes(1), KafkaPublisher.GROUP);
        return tokens.stream().mapToLong(token -> token == null ? -1 : indexOf(token)).min().orElse(-1);
    }

    private long indexOf(byte[] token) {
        try {
            return json.readTree(token).path("index").asLong(-1);
        } catch (IOException e) {
            throw new IllegalStateException("the publisher's token is not a readable tracking token", e);
        }
    }
}
