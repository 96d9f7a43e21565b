package dev.transcript.command.task;

import java.util.UUID;

/** Whether a user id names a registered user; a task belongs to one. */
interface KnownUsers {

    boolean exists(UUID userId);
}
