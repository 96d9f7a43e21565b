package dev.transcript.command.file;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record DeleteFile(@TargetAggregateIdentifier UUID sessionId, UUID fileId) {
}
