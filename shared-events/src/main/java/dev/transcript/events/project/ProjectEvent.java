package dev.transcript.events.project;

import dev.transcript.events.TranscriptEvent;

import java.util.UUID;

/** Facts about one app-builder project (seed 001); the aggregate id is the project id. */
public sealed interface ProjectEvent extends TranscriptEvent permits
        ProjectCreated, ProjectUpdated, ProjectArchived, ProjectDeleted {

    UUID projectId();

    @Override
    default String aggregateId() {
        return projectId().toString();
    }
}
