package dev.transcript.events.session;

import dev.transcript.events.EventVersion;

import java.math.BigDecimal;
import java.util.UUID;

/** The orchestrator is creating the session's one container: {@code creating}. */
@EventVersion(1)
public record ContainerCreated(UUID sessionId, String containerId, String containerName, String image,
                               BigDecimal cpuLimit, int memoryLimitMb) implements SessionEvent {
}
