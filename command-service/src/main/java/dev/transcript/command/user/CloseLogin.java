package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Logout or revocation: the login's token stops working. */
record CloseLogin(@TargetAggregateIdentifier UUID userId, UUID loginId) {
}
