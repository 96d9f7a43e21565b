package dev.transcript.projection.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What each read model has received and not applied: events parked (per source partition), missing sequences
 * (gaps: an aggregate applied up to N whose first parked event is later than N + 1, so N + 1 never came), and
 * events dead-lettered. Read from the bookkeeping, for the status API and as gauges
 * ({@code transcript.projection.parked_events}, {@code .gaps}, {@code .dead_letters}, per read model; a scrape
 * reads figures at most a second old).
 */
@Component
public class Backlog {

    private static final Duration GAUGES_REUSE = Duration.ofSeconds(1);

    /** Sequence {@code missing} of an aggregate never came; {@code waiting} events from {@code next} on wait for it. */
    public record Gap(String aggregateId, long missing, long next, long waiting, Instant since) {
    }

    /** One read model's figures; {@code parkedByPartition} is keyed by the parked events' source partition. */
    public record Figures(long parked, Map<Integer, Long> parkedByPartition, List<Gap> gaps, long deadLettered) {

        public static final Figures NONE = new Figures(0, Map.of(), List.of(), 0);
    }

    private final JdbcTemplate jdbc;
    private volatile Instant gaugesReadAt = Instant.MIN;
    private volatile Map<String, Figures> gaugesRead = Map.of();

    Backlog(JdbcTemplate jdbc, MeterRegistry meters, List<Projector> projectors) {
        this.jdbc = jdbc;
        for (Projector projector : projectors) {
            gauge(meters, "transcript.projection.parked_events", projector.readModel(), Figures::parked);
            gauge(meters, "transcript.projection.gaps", projector.readModel(), figures -> figures.gaps().size());
            gauge(meters, "transcript.projection.dead_letters", projector.readModel(), Figures::deadLettered);
        }
    }

    /** Every read model's figures now; a read model with nothing parked, missing or dead-lettered is absent. */
    public Map<String, Figures> byReadModel() {
        Map<String, Map<Integer, Long>> parked = new HashMap<>();
        jdbc.query("""
                SELECT read_model, source_partition, count(*) FROM projection.parked_event
                GROUP BY read_model, source_partition""",
                row -> {
                    parked.computeIfAbsent(row.getString(1), readModel -> new HashMap<>())
                            .put(row.getInt(2), row.getLong(3));
                });
        Map<String, List<Gap>> gaps = new HashMap<>();
        jdbc.query("""
                SELECT p.read_model, p.aggregate_id, COALESCE(a.last_sequence, -1) + 1, min(p.sequence), count(*),
                       min(p.parked_at)
                FROM projection.parked_event p
                LEFT JOIN projection.aggregate_position a
                       ON a.read_model = p.read_model AND a.aggregate_id = p.aggregate_id
                GROUP BY p.read_model, p.aggregate_id, a.last_sequence
                HAVING min(p.sequence) > COALESCE(a.last_sequence, -1) + 1
                ORDER BY min(p.parked_at), p.aggregate_id""",
                row -> {
                    gaps.computeIfAbsent(row.getString(1), readModel -> new ArrayList<>()).add(new Gap(row.getString(2),
                            row.getLong(3), row.getLong(4), row.getLong(5), row.getTimestamp(6).toInstant()));
                });
        Map<String, Long> deadLettered = new HashMap<>();
        jdbc.query("SELECT read_model, count(*) FROM projection.dead_letter GROUP BY read_model",
                row -> {
                    deadLettered.put(row.getString(1), row.getLong(2));
                });

        Map<String, Figures> figures = new HashMap<>();
        List<String> readModels = new ArrayList<>(parked.keySet());
        readModels.addAll(deadLettered.keySet());
        for (String readModel : readModels) {
            Map<Integer, Long> byPartition = parked.getOrDefault(readModel, Map.of());
            figures.put(readModel, new Figures(byPartition.values().stream().mapToLong(Long::longValue).sum(),
                    byPartition, gaps.getOrDefault(readModel, List.of()), deadLettered.getOrDefault(readModel, 0L)));
        }
        return figures;
    }

    private void gauge(MeterRegistry meters, String name, String readModel, ToDoubleFunction<Figures> figure) {
        Gauge.builder(name, this, backlog -> figure.applyAsDouble(
                        backlog.forGauges().getOrDefault(readModel, Figures.NONE)))
                .tag("read_model", readModel)
                .register(meters);
    }

    /** One query for the three gauges of every read model, not nine at each scrape. */
    private Map<String, Figures> forGauges() {
        if (Instant.now().isAfter(gaugesReadAt.plus(GAUGES_REUSE))) {
            gaugesRead = byReadModel();
            gaugesReadAt = Instant.now();
        }
        return gaugesRead;
    }
}
