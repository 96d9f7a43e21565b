package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** The orchestrator removed the stopped or failed container. */
public record DeleteContainer(@TargetAggregateIdentifier UUID sessionId) {
}
