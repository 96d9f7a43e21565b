package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** The login was used just now. */
record TouchLogin(@TargetAggregateIdentifier UUID userId, UUID loginId) {
}
