package dev.transcript.command.project;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** {@link KnownUsers} and {@link SandboxSessions} in memory: only the users and containers a test adds exist. */
final class InMemoryProjectRules implements KnownUsers, SandboxSessions {

    private final Set<UUID> users = new HashSet<>();
    private final Set<UUID> sessionsWithContainer = new HashSet<>();

    InMemoryProjectRules register(UUID userId) {
        users.add(userId);
        return this;
    }

    InMemoryProjectRules containerFor(UUID sessionId) {
        sessionsWithContainer.add(sessionId);
        return this;
    }

    @Override
    public boolean exists(UUID userId) {
        return users.contains(userId);
    }

    @Override
    public boolean hasContainer(UUID sessionId) {
        return sessionsWithContainer.contains(sessionId);
    }
}
