package dev.transcript.chaos;

import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The chaos suite (bin/stack chaos): starts its stack, drives commands with idempotency keys and retries,
 * kills -9 command-service, projection-service, Kafka and PostgreSQL in turn under load, restarts each with
 * bin/stack up and measures how long commands and read models take to come back, then stops the load, lets
 * the pipeline drain and reconciles. Exit status 0 only when nothing was lost, doubled, left out or
 * miscounted; the stack is stopped in every case.
 */
public final class ChaosRun {

    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(3);

    private final Options options;
    private final Stack stack;
    private final List<Phase> phases = new ArrayList<>();
    private final Map<String, Object> result = new LinkedHashMap<>();
    private String jdbcUrl;
    private Load load;
    /** The recovery figures of the latest fault, for its phase (added when the next one begins). */
    private Double lastCommandsBack;
    private Double lastReadModelsBack;

    private ChaosRun(Options options) {
        this.options = options;
        this.stack = new Stack(options.repo(), options.stackDir());
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            System.out.println(Options.USAGE);
            return;
        }
        int status;
        try {
            status = new ChaosRun(options).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    private int run() throws Exception {
        Instant started = Instant.now();
        result.put("mode", options.mode());
        result.put("commit", options.commit());
        result.put("startedAt", started);
        result.put("options", options);
        try {
            say("bin/stack up (state in %s)", options.stackDir());
            stack.up();
            result.put("stackUpSeconds", Stack.secondsSince(started, Instant.now()));
            jdbcUrl = stackEnv("SPRING_DATASOURCE_URL");
            Verdict verdict = underLoad();
            result.put("verdict", verdict);
            result.put("seconds", Stack.secondsSince(started, Instant.now()));
            System.out.println(Table.of(verdict));
            System.out.printf("topic: %d redelivered records (at-least-once; not a finding)%n",
                    verdict.topicDuplicates());
            Table.summary(verdict.findings()).forEach((kind, n) -> System.out.printf("%6d x %s%n", n, kind));
            verdict.findings().stream().limit(20).forEach(f -> System.out.println("  " + f));
            say(verdict.clean() ? "PASSED: nothing lost, doubled, out of place or miscounted"
                    : "FAILED: see the findings above");
            return verdict.clean() ? 0 : 1;
        } finally {
            if (load != null) {
                load.abort();
            }
            writeResult();
            say("bin/stack down");
            stack.down();
        }
    }

    private Verdict underLoad() throws Exception {
        CommandClient client = new CommandClient(options.commandUrl());
        load = new Load(client, options.workers(), options.rate());
        Instant loadStarted = Instant.now();
        say("load: %d workers, %s", options.workers(), options.rate() > 0 ? options.rate() + " commands/s each" : "unpaced");
        load.start();
        pause(options.warmup());
        Instant phaseFrom = loadStarted;
        String phaseName = "load, no fault";
        for (Stack.Part part : Stack.Part.values()) {
            Instant killedAt = Instant.now();
            phases.add(new Phase(phaseName, phaseFrom, killedAt, lastCommandsBack, lastReadModelsBack));
            phaseFrom = killedAt;
            phaseName = "kill -9 " + part.name;
            fault(part, load);
            pause(options.steady());
        }
        Instant loadStopped = Instant.now();
        phases.add(new Phase(phaseName, phaseFrom, loadStopped, lastCommandsBack, lastReadModelsBack));
        say("load: stopping (commands in flight retried up to %ds)", options.giveUp().toSeconds());
        load.stop(Instant.now().plus(options.giveUp()));
        phases.add(new Phase("drain", loadStopped, Instant.now().plus(Duration.ofDays(1)), null, null));
        List<Ack> acks = load.acknowledged();
        say("load: %d commands acknowledged, %d attempts, %d connection errors, %d 5xx, %d 2xx without id, "
                        + "%d refused, %d unfinished", acks.size(), client.attempts.get(), client.connectionErrors.get(),
                client.serverErrors.get(), client.answersWithoutId.get(), client.refused.get(), client.unfinished.get());
        result.put("client", clientFigures(client));
        Map<String, String> sessionOf = load.sessionOfConversation();
        drain(acks, sessionOf);
        result.put("health", health());
        try (Connection db = connect()) {
            List<StoredEvent> stored = EventStore.read(db);
            List<TopicEvent> topic = Topic.read(stackEnv("SPRING_KAFKA_BOOTSTRAP_SERVERS"), Duration.ofSeconds(90));
            say("reconciling: %d acknowledged, %d stored, %d on the topic", acks.size(), stored.size(), topic.size());
            result.put("counts", Map.of("acknowledged", acks.size(), "stored", stored.size(), "topic", topic.size(),
                    "parked", ReadModels.parked(db)));
            Map<String, String> parked = ReadModels.parkedByReadModel(db);
            result.put("parked", parked);
            parked.forEach((readModel, what) -> say("still parked in %s: %s", readModel, what));
            return Reconciliation.reconcile(phases, acks, stored, topic, ReadModels.ids(db, sessionOf),
                    ReadModels.measures(db, sessionOf));
        }
    }

    /** Kills a part, waits under load, restarts it and measures until commands and read models are back. */
    private void fault(Stack.Part part, Load load) throws Exception {
        List<Long> pids = stack.kill(part);
        // From when every process is gone: a command sent a moment before could still be acknowledged.
        Instant killedAt = Instant.now();
        say("kill -9 %s (pids %s); load goes on for %ds", part.name, pids, options.down().toSeconds());
        pause(options.down());
        stack.up();
        Instant restarted = Instant.now();
        say("%s restarted by bin/stack up, %.1f s after the kill", part.name, Stack.secondsSince(killedAt, restarted));
        lastCommandsBack = waitFor(() -> load.firstAcknowledgedSentAfter(killedAt))
                .map(at -> Stack.secondsSince(killedAt, at)).orElse(null);
        lastReadModelsBack = waitFor(() -> load.firstMessageAcknowledgedAfter(restarted)
                .filter(this::inEveryReadModel).map(a -> Instant.now()))
                .map(at -> Stack.secondsSince(killedAt, at)).orElse(null);
        say("%s: commands back after %s s, read models after %s s", part.name, lastCommandsBack, lastReadModelsBack);
    }

    private boolean inEveryReadModel(Ack message) {
        try (Connection db = connect()) {
            return ReadModels.messageEverywhere(db, message.entityId());
        } catch (SQLException e) {
            return false;
        }
    }

    /** Until every acknowledged id is in every read model and nothing is parked, or the deadline. */
    private void drain(List<Ack> acks, Map<String, String> sessionOf) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.drain());
        Instant from = Instant.now();
        long missing = -1;
        long parked = -1;
        while (Instant.now().isBefore(deadline)) {
            try (Connection db = connect()) {
                List<ReadModelIds> ids = ReadModels.ids(db, sessionOf);
                missing = acks.stream().filter(a -> ids.stream()
                        .anyMatch(rm -> rm.kind() == a.kind() && !rm.ids().contains(a.entityId()))).count();
                parked = ReadModels.parked(db);
                if (missing == 0 && parked == 0) {
                    say("drained in %.1f s", Stack.secondsSince(from, Instant.now()));
                    result.put("drainSeconds", Stack.secondsSince(from, Instant.now()));
                    return;
                }
            } catch (SQLException e) {
                say("drain: %s", e.getMessage());
            }
            Thread.sleep(1_000);
        }
        say("not drained within %ds: %d acknowledged commands missing from a read model, %d parked",
                options.drain().toSeconds(), missing, parked);
        result.put("drainSeconds", null);
    }

    private <T> Optional<T> waitFor(Supplier<Optional<T>> probe) throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value;
            }
            Thread.sleep(200);
        }
        return Optional.empty();
    }

    private Connection connect() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(jdbcUrl, login);
    }

    private Map<String, String> health() {
        Map<String, String> health = new LinkedHashMap<>();
        HttpClient http = HttpClient.newHttpClient();
        for (String url : List.of(options.commandUrl(), options.projectionUrl())) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                health.put(url, answer.statusCode() + " " + answer.body());
            } catch (IOException | InterruptedException e) {
                health.put(url, e.toString());
            }
        }
        return health;
    }

    private static Map<String, Object> clientFigures(CommandClient client) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("attempts", client.attempts.get());
        figures.put("connectionErrors", client.connectionErrors.get());
        figures.put("serverErrors", client.serverErrors.get());
        figures.put("answersWithoutId", client.answersWithoutId.get());
        figures.put("refused", client.refused.get());
        figures.put("unfinished", client.unfinished.get());
        figures.put("notes", List.copyOf(client.notes));
        return figures;
    }

    private String stackEnv(String key) throws IOException {
        return Files.readAllLines(options.stackDir().resolve("stack.env")).stream()
                .filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new IOException(key + " not in " + options.stackDir().resolve("stack.env")));
    }

    private void writeResult() throws IOException {
        Path out = options.stackDir().resolve("chaos/result.json");
        Files.createDirectories(out.getParent());
        result.put("phases", phases);
        CommandClient.JSON.copy().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValue(out.toFile(), result);
        say("result: %s", out);
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    static void say(String format, Object... args) {
        System.out.printf("chaos: [%s] %s%n", Instant.now().toString().substring(11, 19), format.formatted(args));
        System.out.flush();
    }
}
