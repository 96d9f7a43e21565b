package dev.transcript.projection.status;

import dev.transcript.projection.stream.Backlog;

import java.util.List;

/**
 * One read model as a whole: whether its listener runs here ({@code running}, {@code stopped}, or {@code disabled}
 * on this instance), its lag over every partition (parked events included), the events parked, the aggregates
 * missing a sequence ({@code gaps}, with the first {@value ProjectionStatusController#GAPS_LISTED} listed: their
 * later events wait for it), and the events dead-lettered.
 */
record ReadModelStatus(String readModel, String listener, Long lag, long parked, int gaps,
                       List<Backlog.Gap> missing, long deadLettered) {
}
