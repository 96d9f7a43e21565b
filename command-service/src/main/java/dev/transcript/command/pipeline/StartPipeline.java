package dev.transcript.command.pipeline;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/** A run of the named pipeline for the user, with its JSON input; running from now on. */
record StartPipeline(@TargetAggregateIdentifier UUID executionId, UUID userId, String pipelineName,
                     Map<String, Object> input) {
}
