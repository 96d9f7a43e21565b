package dev.transcript.command.session;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@link ContainerNameClaims} in memory, with the same rule as the database: a name is claimed once, for ever. */
final class InMemoryContainerNameClaims implements ContainerNameClaims {

    private final Map<String, UUID> holders = new HashMap<>();

    @Override
    public boolean claim(String containerName, UUID sessionId) {
        return holders.putIfAbsent(containerName, sessionId) == null;
    }

    UUID holderOf(String containerName) {
        return holders.get(containerName);
    }
}
