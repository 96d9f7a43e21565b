package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.Map;
import java.util.UUID;

/** Replaces the container's labels and its metadata, both at once. */
public record LabelContainer(@TargetAggregateIdentifier UUID sessionId, Map<String, String> labels,
                             Map<String, Object> metadata) {
}
