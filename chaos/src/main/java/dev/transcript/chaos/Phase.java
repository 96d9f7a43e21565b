package dev.transcript.chaos;

import java.time.Instant;

/**
 * A stretch of the run: the load before any fault, then one per kill (from the kill until the next one),
 * then the drain. Findings are charged to the phase in which what they concern happened.
 *
 * @param commandsRecoveredSeconds   from the kill to the first acknowledgement of a command sent after it;
 *                                   null for a phase without a kill, or if none came
 * @param readModelsRecoveredSeconds from the kill until a message acknowledged after the restart was in
 *                                   every read model; null likewise
 */
record Phase(String name, Instant from, Instant to, Double commandsRecoveredSeconds,
             Double readModelsRecoveredSeconds) {

    boolean contains(Instant at) {
        return !at.isBefore(from) && at.isBefore(to);
    }
}
