package dev.transcript.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Workers that each register a user, start sandbox sessions with a running container, and post a
 * conversation into each: messages, a token charge per assistant reply, a checkpoint every tenth message.
 * Every acknowledged command is recorded with what the answer named.
 */
final class Load {

    private static final int MESSAGES_PER_SESSION = 40;
    private static final String MODEL = "gpt-4o-mini";

    private final CommandClient client;
    private final int workers;
    /** Nanoseconds between two commands of one worker; 0 sends as fast as answers come. */
    private final long pacingNanos;
    private final ThreadLocal<long[]> nextSendAt = ThreadLocal.withInitial(() -> new long[] {System.nanoTime()});
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    private final List<CommandClient.Acknowledged> timings = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> sessionOfConversation = new ConcurrentHashMap<>();
    private final ExecutorService pool;
    private volatile boolean running = true;
    private volatile Instant giveUpAt = Instant.MAX;

    /** @param ratePerWorker commands a second each worker sends at most; 0 for as fast as the stack answers */
    Load(CommandClient client, int workers, int ratePerWorker) {
        this.client = client;
        this.workers = workers;
        this.pacingNanos = ratePerWorker <= 0 ? 0 : 1_000_000_000L / ratePerWorker;
        // Daemon threads: a run that fails must end, never go on loading the next run's stack from an orphan.
        this.pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "load");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.submit(() -> {
                try {
                    work(worker);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
        }
    }

    /** Lets each worker finish the command it is on (retrying until {@code giveUpAt}), then waits for them. */
    void stop(Instant giveUpAt) throws InterruptedException {
        this.giveUpAt = giveUpAt;
        running = false;
        pool.shutdown();
        long waitMs = Math.max(1_000, giveUpAt.toEpochMilli() - System.currentTimeMillis() + 5_000);
        if (!pool.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
            pool.shutdownNow();
        }
    }

    /** Stops at once: commands in flight are abandoned (a run that failed). */
    void abort() {
        giveUpAt = Instant.MIN;
        running = false;
        pool.shutdownNow();
    }

    List<Ack> acknowledged() {
        synchronized (acks) {
            return List.copyOf(acks);
        }
    }

    Map<String, String> sessionOfConversation() {
        return Map.copyOf(sessionOfConversation);
    }

    /** The first acknowledgement of an attempt sent at or after {@code since}. */
    Optional<Instant> firstAcknowledgedSentAfter(Instant since) {
        synchronized (timings) {
            return timings.stream().filter(t -> !t.sentAt().isBefore(since))
                    .map(CommandClient.Acknowledged::at).min(Instant::compareTo);
        }
    }

    /** A message acknowledged after {@code since}, for the read-model recovery probe. */
    Optional<Ack> firstMessageAcknowledgedAfter(Instant since) {
        synchronized (acks) {
            return acks.stream().filter(a -> a.kind() == Kind.MESSAGE && a.at().isAfter(since)).findFirst();
        }
    }

    private void work(int worker) throws InterruptedException {
        int sessions = 0;
        String user = null;
        while (running) {
            if (user == null) {
                user = register(worker);
                continue;
            }
            Optional<String> session = startSession(user);
            if (session.isEmpty()) {
                continue;
            }
            sessions++;
            converse(session.get());
            if (sessions % 5 == 0) {
                user = null; // a new user now and then: more streams, more partitions
            }
        }
    }

    private String register(int worker) throws InterruptedException {
        String key = key();
        Map<String, Object> body = Map.of("email", "chaos-" + runId + "-" + worker + "-" + key + "@example.com",
                "password", "chaos password " + runId, "role", "user");
        return send("api/users", key, body, "id")
                .map(a -> record(Kind.USER, a.body().get("id").asText(), a.body().get("id").asText(), 0, 0, a))
                .orElse(null);
    }

    private Optional<String> startSession(String user) throws InterruptedException {
        Optional<CommandClient.Acknowledged> started =
                send("api/sessions", key(), Map.of("userId", user, "ttlSeconds", 86_400), "sessionId");
        if (started.isEmpty()) {
            return Optional.empty();
        }
        String session = started.get().body().get("sessionId").asText();
        sessionOfConversation.put(started.get().body().get("conversationId").asText(), session);
        record(Kind.SESSION, session, session, 0, 0, started.get());
        String container = "chaos-" + session;
        Map<String, Object> create = new LinkedHashMap<>();
        create.put("containerId", container);
        create.put("containerName", container);
        create.put("image", "transcript/chaos-sandbox:latest");
        create.put("cpuLimit", 0.5);
        create.put("memoryLimitMb", 256);
        // These answers name nothing the checks need: any 2xx will do.
        if (send("api/sessions/" + session + "/container", key(), create, null).isEmpty()
                || send("api/sessions/" + session + "/container/started", key(), Map.of(), null).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    private void converse(String session) throws InterruptedException {
        String path = "api/sessions/" + session;
        for (int m = 1; m <= MESSAGES_PER_SESSION && running; m++) {
            boolean assistant = m % 2 == 0;
            String key = key();
            // The key in the content lets reconciliation tell one command stored twice from two commands.
            Map<String, Object> message = Map.of("role", assistant ? "assistant" : "user",
                    "content", "chaos " + key + " message " + m, "tokensUsed", 7);
            Optional<CommandClient.Acknowledged> posted = send(path + "/messages", key, message, "messageId");
            if (posted.isEmpty()) {
                return;
            }
            String messageId = posted.get().body().get("messageId").asText();
            int number = posted.get().body().get("messageNumber").asInt();
            record(Kind.MESSAGE, session, messageId, number, 0, posted.get());
            if (assistant) {
                charge(path, messageId, m);
            }
            if (m % 10 == 0) {
                checkpoint(path, number);
            }
        }
    }

    private void charge(String path, String messageId, int m) throws InterruptedException {
        int in = 100 + m;
        int out = 7;
        send(path + "/token-usage", key(), Map.of("model", MODEL, "inputTokens", in, "outputTokens", out,
                "chatMessageId", messageId), "usageId")
                .ifPresent(a -> record(Kind.TOKEN_USAGE, sessionOf(path), a.body().get("usageId").asText(), 0,
                        in + out, a));
    }

    private void checkpoint(String path, int messageNumber) throws InterruptedException {
        String key = key();
        String hash = HexFormat.of().formatHex(key.replace("-", "").getBytes()).substring(0, 40);
        send(path + "/checkpoints", key, Map.of("commitHash", hash, "messageNumber", messageNumber,
                "description", "chaos checkpoint", "filesChanged", 1), "checkpointId")
                .ifPresent(a -> record(Kind.CHECKPOINT, sessionOf(path), a.body().get("checkpointId").asText(), 0,
                        0, a));
    }

    private Optional<CommandClient.Acknowledged> send(String path, String key, Map<String, Object> body,
                                                      String idField) throws InterruptedException {
        pace();
        Optional<CommandClient.Acknowledged> answer = client.post(path, key, body, idField, () -> giveUpAt);
        answer.ifPresent(timings::add);
        return answer;
    }

    /**
     * A paced run (CI's) keeps its load below what the stack drains, so a run ends as soon as the pipeline has caught
     * up instead of spending minutes on a backlog that says nothing about faults.
     */
    private void pace() throws InterruptedException {
        if (pacingNanos == 0) {
            return;
        }
        long[] next = nextSendAt.get();
        long wait = next[0] - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        next[0] = Math.max(next[0], System.nanoTime() - pacingNanos) + pacingNanos;
    }

    private String record(Kind kind, String aggregate, String entity, int number, long tokens,
                          CommandClient.Acknowledged answer) {
        acks.add(new Ack(kind, aggregate, entity, number, tokens, answer.at()));
        return entity;
    }

    private static String sessionOf(String path) {
        return path.substring("api/sessions/".length());
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }
}
