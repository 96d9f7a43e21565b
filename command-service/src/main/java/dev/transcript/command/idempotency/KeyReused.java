package dev.transcript.command.idempotency;

/** The key was used before for a different request: HTTP 422, nothing done. */
public final class KeyReused extends RuntimeException {

    public KeyReused(String key) {
        super("Idempotency-Key " + key + " was already used for a different request");
    }
}
