package dev.transcript.projection.gateway;

import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionEvent;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserEvent;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRoleChanged;
import dev.transcript.projection.stream.Envelope;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.Projector;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Keeps the {@code gateway} schema (seed 000) as the events say. Decides only; {@link GatewayWrites}
 * writes. The switches are exhaustive over the sealed event hierarchies, so a new event type does not
 * compile until this projector has decided what it means.
 */
@Component
public class GatewayProjector implements Projector {

    public static final String READ_MODEL = "gateway";

    private final GatewayWrites writes;

    GatewayProjector(GatewayWrites writes) {
        this.writes = writes;
    }

    @Override
    public String readModel() {
        return READ_MODEL;
    }

    @Override
    public Outcome apply(Envelope envelope) {
        return switch (envelope.event()) {
            case UserEvent event -> on(event, envelope.time());
            case SessionEvent event -> on(event, envelope.time());
            default -> Outcome.APPLIED; // another aggregate's events: nothing in this schema
        };
    }

    private Outcome on(UserEvent event, Instant at) {
        switch (event) {
            case UserRegistered registered -> writes.insertUser(registered, at);
            case UserRoleChanged changed -> writes.changeRole(changed.userId(), changed.role());
            // Profiles, activation and logins have no column in seed 000.
            case UserProfileChanged ignored -> { }
            case UserDeactivated ignored -> { }
            case UserReactivated ignored -> { }
            case LoginOpened ignored -> { }
            case LoginTouched ignored -> { }
            case LoginClosed ignored -> { }
        }
        return Outcome.APPLIED;
    }

    private Outcome on(SessionEvent event, Instant at) {
        switch (event) {
            case SessionStarted started -> {
                // The user's events travel in another partition and may not have been applied yet.
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertSession(started, at);
            }
            case ChatSessionStarted started -> {
                if (!writes.userExists(started.userId())) {
                    return Outcome.waitForUser(started.userId());
                }
                writes.insertChatSession(started, at);
            }
            case SessionActivated activated -> writes.setSessionStatus(activated.sessionId(), "active");
            case SessionExtended extended -> writes.setSessionExpiry(extended.sessionId(), extended.expiresAt());
            case SessionStopped stopped -> writes.setSessionStatus(stopped.sessionId(), "stopped");
            case SessionExpired expired -> writes.setSessionStatus(expired.sessionId(), "expired");
            case SessionFailed failed -> writes.setSessionStatus(failed.sessionId(), "error");
            case ContainerCreated created -> writes.insertContainer(created, at);
            case ContainerStarted started -> writes.containerStarted(started.containerId(), at);
            case ContainerStopped stopped -> writes.containerEnded(stopped.containerId(), "stopped", at);
            case ContainerFailed failed -> writes.containerEnded(failed.containerId(), "error", at);
            case MessagePosted posted -> writes.insertMessage(posted, at);
            // Seed 000 has no column for titles, ports, labels or files; a deleted container keeps its last status.
            case ConversationTitled ignored -> { }
            case ContainerExposed ignored -> { }
            case ContainerLabeled ignored -> { }
            case ContainerDeleted ignored -> { }
            case FileStored ignored -> { }
            case FileDeleted ignored -> { }
            case CheckpointCreated checkpoint -> writes.insertCheckpoint(checkpoint, at);
            case TokenUsageRecorded usage -> writes.insertTokenUsage(usage, at);
        }
        return Outcome.APPLIED;
    }
}
