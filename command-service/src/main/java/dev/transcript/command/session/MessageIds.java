package dev.transcript.command.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Message ids derived from (conversation, message number): a UUIDv8 whose first 32 bits are the number
 * and whose other bits are a SHA-256 of both. The session aggregate can then tell whether an id names one
 * of its messages from its message count alone, without remembering every id: its cost stays flat however
 * long the conversation grows.
 */
public final class MessageIds {

    private MessageIds() {
    }

    public static UUID of(UUID conversationId, int messageNumber) {
        byte[] hash = sha256(conversationId + "#" + messageNumber);
        ByteBuffer bits = ByteBuffer.wrap(hash);
        long high = ((long) messageNumber << 32) | (bits.getLong(0) & 0xFFFF_0FFFL) | 0x8000L; // version 8
        long low = (bits.getLong(8) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;        // variant 10
        return new UUID(high, low);
    }

    /** The message number the id would carry, if it were one of the conversation's message ids. */
    public static int numberIn(UUID messageId) {
        return (int) (messageId.getMostSignificantBits() >>> 32);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
