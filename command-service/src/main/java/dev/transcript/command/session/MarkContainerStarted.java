package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record MarkContainerStarted(@TargetAggregateIdentifier UUID sessionId) {
}
