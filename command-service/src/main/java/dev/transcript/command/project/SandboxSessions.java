package dev.transcript.command.project;

import java.util.UUID;

/** The sandbox sessions that can run a project: those with a container. */
interface SandboxSessions {

    boolean hasContainer(UUID sessionId);
}
