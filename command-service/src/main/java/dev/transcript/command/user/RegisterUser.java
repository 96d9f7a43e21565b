package dev.transcript.command.user;

import dev.transcript.events.user.UserRole;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** The password is hashed at the HTTP edge: only its bcrypt hash ever enters the command bus. */
public record RegisterUser(@TargetAggregateIdentifier UUID userId, String email, String passwordHash, UserRole role) {
}
