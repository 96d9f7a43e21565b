package dev.transcript.command.task;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

record DeleteTask(@TargetAggregateIdentifier UUID taskId) {
}
