package dev.transcript.events.pipeline;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The run failed with this error; durationMs is the time from its start. */
@EventVersion(1)
public record PipelineFailed(UUID executionId, String errorMessage, long durationMs)
        implements PipelineEvent {
}
