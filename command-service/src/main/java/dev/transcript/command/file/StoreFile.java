package dev.transcript.command.file;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** A file the session's container generated, stored at {@code filePath}; {@code mimeType} may be null. */
public record StoreFile(@TargetAggregateIdentifier UUID sessionId, UUID fileId, String filePath, String fileName,
                        long fileSize, String mimeType) {
}
