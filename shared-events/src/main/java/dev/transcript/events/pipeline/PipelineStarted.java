package dev.transcript.events.pipeline;

import dev.transcript.events.EventVersion;

import java.util.Map;
import java.util.UUID;

/** A pipeline run began for the user, with its JSON input. */
@EventVersion(1)
public record PipelineStarted(UUID executionId, UUID userId, String pipelineName, Map<String, Object> input)
        implements PipelineEvent {
}
