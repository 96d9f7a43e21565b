package dev.transcript.command.idempotency;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.WebUtils;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} of the request being served, with the fingerprint of that request (method,
 * path and body) so that a key reused for a different request is recognised.
 */
public record IdempotencyKey(String value, String fingerprint) {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    /** Read once the controller has parsed the body, so that the cached body is complete. */
    public static Optional<IdempotencyKey> ofCurrentRequest() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return Optional.empty();
        }
        var request = attributes.getRequest();
        String value = request.getHeader(HEADER);
        ContentCachingRequestWrapper cached = WebUtils.getNativeRequest(request, ContentCachingRequestWrapper.class);
        if (value == null || cached == null) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyKey(value,
                sha256(request.getMethod() + " " + request.getRequestURI() + "\n", cached.getContentAsByteArray())));
    }

    private static String sha256(String head, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
