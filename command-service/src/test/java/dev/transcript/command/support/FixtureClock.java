package dev.transcript.command.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A {@link Clock} that reads the test fixture's simulated time ({@code fixture::currentTime}), so that the
 * aggregate's "now" and the stub deadline manager's "now" are always the same instant: set it with
 * {@code givenCurrentTime}, move it with {@code whenTimeAdvancesTo} / {@code whenTimeElapses}.
 */
public final class FixtureClock extends Clock {

    private final Supplier<Instant> now;
    private final ZoneId zone;

    public FixtureClock(Supplier<Instant> now) {
        this(now, ZoneOffset.UTC);
    }

    private FixtureClock(Supplier<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new FixtureClock(now, zone);
    }
}
