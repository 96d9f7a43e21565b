package dev.transcript.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latency run offers a fixed rate; on a machine that answers slower, connections dropped under that overload
 * are a finding about the service, while error answers or connections dropped without overload are problems of
 * the run (bench/run then fails, and with it CI).
 */
class FiguresTest {

    @Test
    void connections_dropped_while_the_service_answered_slower_than_offered_are_a_finding_not_a_problem() {
        Figures figures = Figures.of(withLatency("{\"IOException\": 57}", 57, 3197));

        assertThat(figures.problems).noneMatch(problem -> problem.startsWith("latency"));
        assertThat(figures.findings).singleElement().asString()
                .startsWith("latency: 57 of 6,000 requests failed {\"IOException\":57} while the service answered"
                        + " slower than offered (3,197 sends waited");
    }

    @Test
    void error_answers_under_overload_are_a_problem() {
        Figures figures = Figures.of(withLatency("{\"IOException\": 3, \"500\": 2}", 5, 3197));

        assertThat(figures.problems).contains("latency: 5 of 6,000 requests failed {\"IOException\":3,\"500\":2}");
        assertThat(figures.findings).isEmpty();
    }

    @Test
    void dropped_connections_while_the_service_kept_up_are_a_problem() {
        Figures figures = Figures.of(withLatency("{\"IOException\": 4}", 4, 0));

        assertThat(figures.problems).contains("latency: 4 of 6,000 requests failed {\"IOException\":4}");
        assertThat(figures.findings).isEmpty();
    }

    private static Results withLatency(String errorKinds, long errors, long waited) {
        JsonNode latency = json("""
                {"options": {"max-in-flight": "2000"},
                 "requests": {"sent": 6000, "ok": %d, "errors": %d, "errorKinds": %s},
                 "result": {"targetRate": 1000, "measuredSeconds": 5.0, "measuredErrors": %d,
                            "sendsThatWaitedForAnInFlightSlot": %d,
                            "latency": {"count": 0}, "freshness": {"count": 0}, "publicationLag": {"count": 0}}}
                """.formatted(6000 - errors, errors, errorKinds, errors, waited));
        return new Results(json("{\"baselines\": {}, \"failures\": []}"), Map.of("latency", latency));
    }

    private static JsonNode json(String text) {
        try {
            return Results.JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
