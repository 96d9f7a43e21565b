package dev.transcript.projection.status;

import java.time.Instant;

/**
 * How far one read model has got in one partition: the offset of the last record it applied (-1 before the
 * first), the partition's end offset in Kafka ({@code null} if the topic does not exist yet), the events from
 * this partition received but parked, and the lag: the records past the applied offset plus the parked events,
 * since a parked event is not applied either.
 */
record PartitionStatus(String readModel, String topic, int partition, long appliedOffset, Long endOffset,
                       Long lag, long parked, Instant lastEventTime) {
}
