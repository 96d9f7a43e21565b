package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record MarkContainerStopped(@TargetAggregateIdentifier UUID sessionId) {
}
