package dev.transcript.command.pipeline;

import java.util.UUID;

/** Whether a user id names a registered user; a pipeline run belongs to one. */
interface KnownUsers {

    boolean exists(UUID userId);
}
