package dev.transcript.command.session;

import java.util.Locale;

/**
 * The documented {@code container_status}, plus NONE before the orchestrator reports a container and
 * DELETED once it removed it (a session never gets a second one).
 */
enum ContainerStatus {
    NONE, CREATING, RUNNING, STOPPED, ERROR, DELETED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
