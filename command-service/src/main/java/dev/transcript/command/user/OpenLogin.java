package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;
import java.util.UUID;

/** The bearer token is hashed at the HTTP edge: only its SHA-256 ever enters the command bus. */
record OpenLogin(@TargetAggregateIdentifier UUID userId, UUID loginId, String tokenSha256, String ipAddress,
                 String userAgent, Instant expiresAt) {
}
