package dev.transcript.command.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A bearer token as the system keeps it: the SHA-256 of its UTF-8 bytes, in 64 lower-case hex digits. A
 * token is long and random, so a fast unsalted hash suffices (unlike a password), and a login can still
 * be looked up by the hash of the token presented.
 */
final class TokenHashes {

    private TokenHashes() {
    }

    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
