package dev.transcript.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The command API as a demanding client uses it: every POST carries an Idempotency-Key, and a connection
 * error, a timeout or a 5xx is retried with the same key and body until the service acknowledges it or the
 * run gives up. A 2xx that does not name what it created is no acknowledgement (the finding 2): it
 * is counted and retried too, so that a client is never left believing in an event that was not stored.
 */
final class CommandClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_NOTES = 50;

    /** What the client saw over the run: the retry reasons and what never got through. */
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong connectionErrors = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong answersWithoutId = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unfinished = new AtomicLong();
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    private final URI base;
    private final HttpClient http;

    /** A 2xx answer, and when the attempt that got it was sent. */
    record Acknowledged(JsonNode body, Instant sentAt, Instant at) {
    }

    CommandClient(String baseUrl) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /**
     * Posts until acknowledged with {@code idField} in the answer (any 2xx when it is null); empty when
     * refused (4xx) or when {@code giveUpAt} (read before each attempt: the run moves it) passes first.
     */
    Optional<Acknowledged> post(String path, String key, Object body, String idField, Supplier<Instant> giveUpAt)
            throws InterruptedException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        long backoffMs = 100;
        while (Instant.now().isBefore(giveUpAt.get())) {
            Instant sentAt = Instant.now();
            attempts.incrementAndGet();
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = answer.statusCode();
                if (status / 100 == 2) {
                    JsonNode parsed = parse(answer.body());
                    if (idField == null || parsed.hasNonNull(idField)) {
                        return Optional.of(new Acknowledged(parsed, sentAt, Instant.now()));
                    }
                    answersWithoutId.incrementAndGet();
                    note("%s answered %d without %s: '%s'", path, status, idField, abbreviated(answer.body()));
                } else if (status / 100 == 5) {
                    serverErrors.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                    note("%s refused %d: %s", path, status, abbreviated(answer.body()));
                    return Optional.empty();
                }
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
            }
            Thread.sleep(backoffMs);
            backoffMs = Math.min(2_000, backoffMs * 2);
        }
        unfinished.incrementAndGet();
        note("%s (key %s) never acknowledged before the run gave up", path, key);
        return Optional.empty();
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private void note(String format, Object... args) {
        if (notes.size() < MAX_NOTES) {
            notes.add(format.formatted(args));
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
