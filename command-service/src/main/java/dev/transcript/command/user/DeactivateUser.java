package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Also closes every open login of the user. */
record DeactivateUser(@TargetAggregateIdentifier UUID userId) {
}
