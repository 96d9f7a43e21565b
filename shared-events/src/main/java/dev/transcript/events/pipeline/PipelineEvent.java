package dev.transcript.events.pipeline;

import dev.transcript.events.TranscriptEvent;

import java.util.UUID;

/** Facts about one pipeline run (seed 002's pipeline_executions); the aggregate id is the execution id. */
public sealed interface PipelineEvent extends TranscriptEvent permits
        PipelineStarted, PipelineCompleted, PipelineFailed {

    UUID executionId();

    @Override
    default String aggregateId() {
        return executionId().toString();
    }
}
