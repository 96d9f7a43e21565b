package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Moves the expiry {@code ttlSeconds} later than it is now. */
public record ExtendSession(@TargetAggregateIdentifier UUID sessionId, long ttlSeconds) {
}
