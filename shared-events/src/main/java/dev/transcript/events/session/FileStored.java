package dev.transcript.events.session;

import dev.transcript.events.EventVersion;
import dev.transcript.events.Nullable;

import java.util.UUID;

/** A file generated in the session's container, stored at filePath. */
@EventVersion(1)
public record FileStored(UUID sessionId, UUID fileId, String filePath, String fileName, long fileSize, @Nullable String mimeType) implements SessionEvent {
}
