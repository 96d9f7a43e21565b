package dev.transcript.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class TableTest {

    @Test
    void findingsAreCountedByWhatTheySayWithoutIdsOrNumbers() {
        assertThat(Table.summary(List.of(
                "[kill -9 kafka] lost: MESSAGE 00000018-de42-813a-814d-62f38dcc4483 (stream "
                        + "01a2534a-7d58-7bd5-8120-ce289a3e11ca) acknowledged at 2026-12-08T01:35:20Z, missing from gateway",
                "[kill -9 kafka] lost: MESSAGE 00000019-5e58-8293-bf8e-7a6e82265f5b (stream "
                        + "01a2534a-7d58-7bd5-8120-ce289a3e11ca) acknowledged at 2026-12-08T01:35:21Z, missing from gateway",
                "[kill -9 postgres] gap: sequence 446 of stream 01a2534a-7d58-7bd5-8120-ce289a3e11ca is missing from the event store",
                "... and 3 more")))
                .containsExactly(
                        entry(
                                "[kill -9 kafka] lost: MESSAGE ID (stream ID) missing from gateway", 2L),
                        entry(
                                "[kill -9 postgres] gap: sequence N of stream ID is missing from the event store", 1L));
    }

    @Test
    void theTableHasARowPerPhaseAndTheTotal() {
        Verdict.Row row = new Verdict.Row("kill -9 kafka", 10, 1, 0, 0, 0, 0.1, 12.5);
        Verdict.Row total = new Verdict.Row("total", 10, 1, 0, 0, 0, null, null);

        String table = Table.of(new Verdict(List.of(row), total, 0, List.of()));

        assertThat(table.lines()).hasSize(4);
        assertThat(table.lines().toList().get(2)).contains("kill -9 kafka").contains("0.1 s").contains("12.5 s");
    }
}
