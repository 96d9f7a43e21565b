package dev.transcript.events.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The documented {@code chat_message_role} enum, in its documented order. */
public enum MessageRole {
    @JsonProperty("user") USER,
    @JsonProperty("assistant") ASSISTANT,
    @JsonProperty("system") SYSTEM
}
