package dev.transcript.events.pipeline;

import dev.transcript.events.EventVersion;

import java.util.Map;
import java.util.UUID;

/** The run finished with its JSON output; durationMs is the time from its start, measured on the command side's clock. */
@EventVersion(1)
public record PipelineCompleted(UUID executionId, Map<String, Object> output, long durationMs)
        implements PipelineEvent {
}
