package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** A git commit of the sandbox, taken after message {@code messageNumber}. */
@EventVersion(1)
public record CheckpointCreated(UUID sessionId, UUID checkpointId, String commitHash, int messageNumber,
                                @Nullable String description, int filesChanged) implements SessionEvent {
}
