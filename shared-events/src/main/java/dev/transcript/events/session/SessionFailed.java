package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.util.UUID;

/** The session can't go on (its container failed): {@code error}, final. */
@EventVersion(1)
public record SessionFailed(UUID sessionId, String reason) implements SessionEvent {
}
