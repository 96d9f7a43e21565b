package dev.transcript.command.checkpoint;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record CreateCheckpoint(@TargetAggregateIdentifier UUID sessionId, UUID checkpointId, String commitHash,
                               int messageNumber, String description, int filesChanged) {
}
