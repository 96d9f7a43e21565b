package dev.transcript.events.user;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The documented {@code user_role} enum, in its documented order. */
public enum UserRole {
    @JsonProperty("user") USER,
    @JsonProperty("admin") ADMIN
}
