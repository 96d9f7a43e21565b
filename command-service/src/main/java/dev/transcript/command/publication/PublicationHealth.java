package dev.transcript.command.publication;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.lang.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Health {@code publication}: DOWN while the publisher is stuck on an event that retrying cannot fix (the
 * event named, so that an operator can act; the publisher keeps retrying it with back-off and skips
 * nothing), or while it has failed for longer than {@code transcript.kafka.unhealthy-after} for a reason
 * that may pass (the broker down). UP again as soon as a batch is published.
 */
final class PublicationHealth implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(PublicationHealth.class);

    private final Clock clock;
    private final Duration unhealthyAfter;
    private volatile Failure failing;

    /** The current streak of failures: since when, the latest cause, and the event it is stuck on, if any. */
    private record Failure(Instant since, String why, @Nullable PublishedEvent stuckAt) {
    }

    PublicationHealth(Clock clock, Duration unhealthyAfter) {
        this.clock = clock;
        this.unhealthyAfter = unhealthyAfter;
    }

    /** A failure retrying cannot fix, on this event: it blocks every event after it until it is fixed. */
    void stuckAt(PublishedEvent event, Throwable failure) {
        String why = Unfixable.why(failure);
        log.error("Publication is stuck at event {} (aggregate {}, sequence {}, {}): {}; retrying with back-off,"
                + " nothing after it is published until it is fixed", event.id(), event.aggregateId(),
                event.sequence(), event.type(), why, failure);
        failing = new Failure(sinceOfStreak(), why, event);
    }

    /** A failure that may pass (the broker unreachable or slow). */
    void failed(Throwable failure) {
        failing = new Failure(sinceOfStreak(), Unfixable.why(failure), null);
    }

    void published() {
        if (failing != null) {
            log.info("Publication has recovered after failing since {}", failing.since());
            failing = null;
        }
    }

    private Instant sinceOfStreak() {
        Failure current = failing;
        return current == null ? clock.instant() : current.since();
    }

    @Override
    public Health health() {
        Failure current = failing;
        if (current == null) {
            return Health.up().build();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("failingSince", current.since().toString());
        details.put("reason", current.why());
        if (current.stuckAt() != null) {
            details.put("stuckAt", current.stuckAt());
            return Health.down().withDetails(details).build();
        }
        boolean tooLong = Duration.between(current.since(), clock.instant()).compareTo(unhealthyAfter) > 0;
        return (tooLong ? Health.down() : Health.up()).withDetails(details).build();
    }
}
