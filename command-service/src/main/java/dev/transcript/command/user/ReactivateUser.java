package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

record ReactivateUser(@TargetAggregateIdentifier UUID userId) {
}
