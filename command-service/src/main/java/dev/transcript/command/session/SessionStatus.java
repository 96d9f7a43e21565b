package dev.transcript.command.session;

import java.util.Locale;

/**
 * The documented {@code session_status}: pending → active → stopped | expired | error, or pending → the three.
 * A chat session is active from its start and only ever stopped.
 */
enum SessionStatus {
    PENDING, ACTIVE, STOPPED, EXPIRED, ERROR;

    boolean isOpen() {
        return this == PENDING || this == ACTIVE;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
