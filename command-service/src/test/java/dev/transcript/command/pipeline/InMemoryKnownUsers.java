package dev.transcript.command.pipeline;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** {@link KnownUsers} in memory: only the users a test registers exist. */
final class InMemoryKnownUsers implements KnownUsers {

    private final Set<UUID> users = new HashSet<>();

    InMemoryKnownUsers register(UUID userId) {
        users.add(userId);
        return this;
    }

    @Override
    public boolean exists(UUID userId) {
        return users.contains(userId);
    }
}
