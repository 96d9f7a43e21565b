package dev.transcript.command.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/** Replaces every field; none is kept from before. */
record UpdateProject(@TargetAggregateIdentifier UUID projectId, String name, String description, String type,
                     Map<String, Object> settings, Map<String, Object> metadata) {
}
