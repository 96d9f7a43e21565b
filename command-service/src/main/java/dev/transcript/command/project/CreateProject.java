package dev.transcript.command.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/** {@code sessionId} may be null: a project that no sandbox runs (yet). */
record CreateProject(@TargetAggregateIdentifier UUID projectId, UUID userId, String name, String description,
                     String type, Map<String, Object> settings, Map<String, Object> metadata, UUID sessionId) {
}
