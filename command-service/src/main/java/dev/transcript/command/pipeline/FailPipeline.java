package dev.transcript.command.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

record FailPipeline(@TargetAggregateIdentifier UUID executionId, String errorMessage) {
}
