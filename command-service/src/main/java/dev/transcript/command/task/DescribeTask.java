package dev.transcript.command.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** A null description clears it. */
record DescribeTask(@TargetAggregateIdentifier UUID taskId, String description) {
}
