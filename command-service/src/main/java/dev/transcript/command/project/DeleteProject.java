package dev.transcript.command.project;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

record DeleteProject(@TargetAggregateIdentifier UUID projectId) {
}
