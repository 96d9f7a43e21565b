package dev.transcript.command.user;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** {@link EmailClaims} in memory, with the same rule as the database: one claim per address, case-insensitively. */
final class InMemoryEmailClaims implements EmailClaims {

    private final Map<String, UUID> holders = new HashMap<>();

    @Override
    public boolean claim(String email, UUID userId) {
        return holders.putIfAbsent(email.toLowerCase(Locale.ROOT), userId) == null;
    }

    UUID holderOf(String email) {
        return holders.get(email.toLowerCase(Locale.ROOT));
    }
}
