package dev.transcript.command.user;

import java.time.Instant;
import java.util.UUID;

/**
 * What {@link OpenLogin} answers, and so what a retry under the same Idempotency-Key answers too. It
 * never carries the token.
 */
public record OpenedLogin(UUID id, Instant expiresAt) {
}
