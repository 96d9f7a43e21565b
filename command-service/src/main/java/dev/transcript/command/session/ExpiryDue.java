package dev.transcript.command.session;

import java.time.Instant;

/**
 * The payload of a session's expiry deadline: the expiry it was scheduled for. An extension schedules a
 * new deadline and leaves the old one to fire harmlessly, since its {@code expiresAt} is no longer current.
 */
record ExpiryDue(Instant expiresAt) {
}
