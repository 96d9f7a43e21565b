package dev.transcript.command.session;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.util.UUID;

/** The running container answers on host port {@code port}, at the absolute http(s) {@code url}. */
public record ExposeContainer(@TargetAggregateIdentifier UUID sessionId, int port, String url) {
}
