package dev.transcript.command.user;

import java.util.UUID;

/** Set validation for emails: one claim per address, case-insensitively, across all users. */
public interface EmailClaims {

    /** @return false when another user holds the address already. */
    boolean claim(String email, UUID userId);
}
