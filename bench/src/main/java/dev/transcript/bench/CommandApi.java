package dev.transcript.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The command-service's HTTP API as the benchmarks use it. The JDK client, on a fixed executor: its
 * async sends never block the caller, which is what the open-loop scenario needs, and it brings no
 * dependency that could itself become the bottleneck being measured.
 */
final class CommandApi implements AutoCloseable {

    record Session(UUID sessionId, UUID conversationId) {
    }

    private final URI base;
    private final Duration timeout;
    private final boolean idempotencyKeys;
    private final ExecutorService executor;
    private final HttpClient http;
    private final byte[] messageBody;

    CommandApi(String baseUrl, int threads, Duration timeout, int contentBytes, boolean idempotencyKeys) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.timeout = timeout;
        this.idempotencyKeys = idempotencyKeys;
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "http");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // what a typical gateway speaks to the service
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        // One body for every message: building JSON per request would be load-generator cost, not service cost.
        this.messageBody = ("{\"role\":\"user\",\"content\":\"" + "x".repeat(Math.max(0, contentBytes))
                + "\",\"tokensUsed\":7}").getBytes(StandardCharsets.UTF_8);
    }

    HttpRequest postMessageRequest(UUID sessionId) {
        return post("api/sessions/" + sessionId + "/messages", messageBody);
    }

    CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The messageId of a 201 answer to PostMessage. */
    static UUID messageIdOf(HttpResponse<String> response) throws IOException {
        return UUID.fromString(Report.JSON.readTree(response.body()).get("messageId").asText());
    }

    static int messageNumberOf(HttpResponse<String> response) throws IOException {
        return Report.JSON.readTree(response.body()).get("messageNumber").asInt();
    }

    static boolean ok(HttpResponse<?> response) {
        return response.statusCode() / 100 == 2;
    }

    // --- setup commands: any refusal stops the run, since the measurement would be of a broken fixture

    UUID registerUser(String email) throws IOException, InterruptedException {
        JsonNode answer = expect(post("api/users", Map.of("email", email, "password", "bench-password-1",
                "role", "user")), 201);
        return UUID.fromString(answer.get("id").asText());
    }

    Session startSession(UUID userId, long ttlSeconds) throws IOException, InterruptedException {
        JsonNode answer = expect(post("api/sessions", Map.of("userId", userId, "ttlSeconds", ttlSeconds)), 201);
        return new Session(UUID.fromString(answer.get("sessionId").asText()),
                UUID.fromString(answer.get("conversationId").asText()));
    }

    /** Container created and started: the session becomes {@code active}, as a real one would be. */
    void activate(UUID sessionId) throws IOException, InterruptedException {
        String name = "bench-" + sessionId;
        expect(post("api/sessions/" + sessionId + "/container", Map.of("containerId", name,
                "containerName", name, "image", "transcript/bench-sandbox:latest", "cpuLimit", 0.5,
                "memoryLimitMb", 512)), 201);
        expect(post("api/sessions/" + sessionId + "/container/started", Map.of()), 200);
    }

    private JsonNode expect(HttpRequest request, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request);
        if (response.statusCode() != status) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + " (expected " + status + "): " + response.body());
        }
        return response.body().isEmpty() ? Report.object() : Report.JSON.readTree(response.body());
    }

    private HttpRequest post(String path, Object body) throws IOException {
        return post(path, Report.JSON.writeValueAsBytes(body));
    }

    private HttpRequest post(String path, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKeys) {
            builder.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        return builder.build();
    }

    @Override
    public void close() {
        http.shutdownNow();
        executor.shutdownNow();
    }
}
