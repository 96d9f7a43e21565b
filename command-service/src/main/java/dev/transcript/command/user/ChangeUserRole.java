package dev.transcript.command.user;

import dev.transcript.events.user.UserRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

public record ChangeUserRole(@TargetAggregateIdentifier UUID userId, UserRole role) {
}
