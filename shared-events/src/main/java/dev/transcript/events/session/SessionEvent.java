package dev.transcript.events.session;

import dev.transcript.events.TranscriptEvent;

import java.util.UUID;

/**
 * Facts about one sandbox session: its lifecycle, its container, and its conversation. One aggregate
 * owns them all, so they are strictly ordered by the aggregate's sequence number.
 */
public sealed interface SessionEvent extends TranscriptEvent permits
        SessionStarted, ChatSessionStarted, SessionActivated, SessionExtended, SessionStopped, SessionExpired,
        SessionFailed, ContainerCreated, ContainerStarted, ContainerExposed, ContainerLabeled, ContainerStopped,
        ContainerFailed, ContainerDeleted, FileStored, FileDeleted,
        ConversationTitled, MessagePosted, CheckpointCreated, TokenUsageRecorded {

    UUID sessionId();

    @Override
    default String aggregateId() {
        return sessionId().toString();
    }
}
