package dev.transcript.command.session;

import java.util.Locale;

/** The documented {@code container_status}, plus NONE before the orchestrator reports a container. */
enum ContainerStatus {
    NONE, CREATING, RUNNING, STOPPED, ERROR;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
