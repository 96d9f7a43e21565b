package dev.transcript.chaos;

import java.util.Set;

/** The ids of one kind that one read model holds, e.g. chat.messages' message ids. */
record ReadModelIds(String readModel, Kind kind, Set<String> ids) {
}
