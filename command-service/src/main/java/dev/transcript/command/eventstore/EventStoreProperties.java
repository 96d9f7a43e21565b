package dev.transcript.command.eventstore;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How long a reader of the event store waits for a missing global index (a transaction still in flight)
 * before it gives up on it. It must be much longer than any appending transaction may live — see
 * {@link AppendDeadline}.
 *
 * @param gapTimeout   how long a gap is waited for, measured from the timestamp of the event after it
 * @param maxGapOffset how many indexes behind the newest one a gap is still waited for
 */
@ConfigurationProperties("transcript.eventstore")
record EventStoreProperties(@DefaultValue("60s") Duration gapTimeout,
                            @DefaultValue("1000000") int maxGapOffset) {
}
