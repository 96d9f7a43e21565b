package dev.transcript.command.project;

import java.util.UUID;

/** Whether a user id names a registered user; a project belongs to one. */
interface KnownUsers {

    boolean exists(UUID userId);
}
