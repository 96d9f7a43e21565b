package dev.transcript.command.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

record CompletePipeline(@TargetAggregateIdentifier UUID executionId, Map<String, Object> output) {
}
