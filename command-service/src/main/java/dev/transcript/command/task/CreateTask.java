package dev.transcript.command.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** A to-do item of the user, open. */
record CreateTask(@TargetAggregateIdentifier UUID taskId, UUID userId, String title, String description) {
}
