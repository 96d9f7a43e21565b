package dev.transcript.command.user;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** Replaces the display name and the avatar; a null clears one. */
record ChangeUserProfile(@TargetAggregateIdentifier UUID userId, String name, String avatarUrl) {
}
