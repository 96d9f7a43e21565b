package dev.transcript.chaos;

import java.util.List;

/**
 * What reconciliation found: one row per phase and a total, and the findings behind the numbers.
 *
 * @param findings one line per finding, at most {@link Reconciliation#MAX_FINDINGS} (the counts are complete)
 */
record Verdict(List<Row> rows, Row total, long topicDuplicates, List<String> findings) {

    /**
     * @param lost        acknowledged but not stored, not on the topic or not in a read model; or stored but
     *                    never published
     * @param doubled     one command stored twice, one message number given twice, or two different events
     *                    at one position of a stream on the topic
     * @param gaps        missing sequence numbers in the store or on the topic, missing message numbers
     * @param wrongCounts a read model's count or sum that differs from what was acknowledged
     */
    record Row(String phase, long acknowledged, long lost, long doubled, long gaps, long wrongCounts,
               Double commandsRecoveredSeconds, Double readModelsRecoveredSeconds) {
    }

    boolean clean() {
        return total.lost() == 0 && total.doubled() == 0 && total.gaps() == 0 && total.wrongCounts() == 0;
    }
}
