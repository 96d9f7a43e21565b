package dev.transcript.command.project;

import java.util.Locale;

/** active → archived → deleted, or active → deleted; only an active project changes. */
enum ProjectStatus {
    ACTIVE, ARCHIVED, DELETED;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
