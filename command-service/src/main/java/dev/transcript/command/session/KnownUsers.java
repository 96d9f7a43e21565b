package dev.transcript.command.session;

import java.util.UUID;

/** Whether a user id names a registered user; a session may only be started for one. */
public interface KnownUsers {

    boolean exists(UUID userId);
}
