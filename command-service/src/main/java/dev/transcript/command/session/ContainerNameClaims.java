package dev.transcript.command.session;

import java.util.UUID;

/** Container names are unique across all sessions, for ever (the read model's unique index). */
public interface ContainerNameClaims {

    /** @return false when another session's container has the name already. */
    boolean claim(String containerName, UUID sessionId);
}
