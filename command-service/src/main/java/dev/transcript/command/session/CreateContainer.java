package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.math.BigDecimal;
import java.util.UUID;

public record CreateContainer(@TargetAggregateIdentifier UUID sessionId, String containerId, String containerName,
                              String image, BigDecimal cpuLimit, int memoryLimitMb) {
}
