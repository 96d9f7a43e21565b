package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * HTTP load against a running command-service, in its own process so that its CPU use is visible
 * apart from the services'. Creates its own users and sessions, runs one scenario, writes JSON.
 */
public final class LoadGenerator {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.LoadGenerator [options]

              --scenario S          throughput | latency | flat-cost                   (throughput)
              --command-url URL     command-service                                    (http://127.0.0.1:8081)
              --duration D          measured time, after the warm-up: 60s, 2m          (60s)
              --warmup D            load before measuring (flat-cost: on a separate session) (10s)
              --clients N           throughput: closed-loop clients                     (64)
              --sessions N          sessions created and posted to; flat-cost: ignored  (200)
              --users N             users owning them (bcrypt makes each ~0.1 s)        (sessions/10, >= 1)
              --rate N              latency: intended requests per second               (1000)
              --max-in-flight N     latency: cap on outstanding requests                (2000)
              --http-threads N      executor of the HTTP client                         (8)
              --request-timeout D   per request; a timeout counts as an error           (30s)
              --content-bytes N     size of each message's content                      (200)
              --idempotency-keys B  true: send a fresh Idempotency-Key with each POST   (false)
              --jdbc-url URL        read model for projection lag / freshness; none = skip
                                    (jdbc:postgresql://127.0.0.1:5432/transcript)
              --jdbc-user U / --jdbc-password P                                         ($PGUSER/postgres, $PGPASSWORD/"")
              --bootstrap HOSTS     Kafka, latency: publication lag; none = skip        (127.0.0.1:9092)
              --topic T                                                                 (transcript.events)
              --poll-interval D     latency: freshness poller interval                  (2ms)
              --catch-up-timeout D  how long to wait for the projection after the load  (120s)
              --samples N           flat-cost: latencies measured at each length        (200)
              --short-length N      flat-cost: first length                              (10)
              --long-length N       flat-cost: second length                             (10000)
              --grow-concurrency N  flat-cost: posters growing the conversation (1-4)   (4)
              --out FILE            results JSON (also printed on stdout)
              --help

            A progress line goes to stderr every second; any non-2xx answer is an error, counted by status.
            Exit status: 0 when the scenario ran and at least one command succeeded, 1 otherwise.""";

    private static final Set<String> OPTIONS = Set.of("scenario", "command-url", "duration", "warmup", "clients",
            "sessions", "users", "rate", "max-in-flight", "http-threads", "request-timeout", "content-bytes",
            "idempotency-keys", "jdbc-url", "jdbc-user", "jdbc-password", "bootstrap", "topic", "poll-interval",
            "catch-up-timeout", "samples", "short-length", "long-length", "grow-concurrency", "out");

    private LoadGenerator() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, OPTIONS, USAGE);
        Logs.warnAndAbove();
        String scenario = args.string("scenario", "throughput");
        if (!Set.of("throughput", "latency", "flat-cost").contains(scenario)) {
            System.err.println("unknown --scenario " + scenario + "\n" + USAGE);
            System.exit(2);
        }
        boolean flatCost = scenario.equals("flat-cost");
        int sessions = flatCost ? 2 : args.integer("sessions", 200); // flat-cost: one warm-up, one measured
        int users = args.integer("users", Math.max(1, sessions / 10));
        int clients = args.integer("clients", 64);
        Duration warmup = args.duration("warmup", Duration.ofSeconds(10));
        Duration duration = args.duration("duration", Duration.ofSeconds(60));
        ReadModel.Login login = ReadModel.Login.of(args);
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String runId = UUID.randomUUID().toString().substring(0, 8);

        ObjectNode report = Report.object();
        report.put("program", "LoadGenerator");
        report.put("scenario", scenario);
        report.put("runId", runId);
        report.put("startedAt", Instant.now().toString());
        report.putPOJO("options", args.given());

        try (CommandApi api = new CommandApi(args.string("command-url", "http://127.0.0.1:8081"),
                args.integer("http-threads", 8), args.duration("request-timeout", Duration.ofSeconds(30)),
                args.integer("content-bytes", 200), Boolean.parseBoolean(args.string("idempotency-keys", "false")))) {
            long setupStart = System.nanoTime();
            List<CommandApi.Session> fixture = Fixture.sessions(api, runId, users, sessions,
                    Math.min(16, Math.max(clients, 4)), 7 * 24 * 3600);
            ObjectNode setup = report.putObject("setup");
            setup.put("users", users);
            setup.put("sessions", sessions);
            setup.put("seconds", Math.round((System.nanoTime() - setupStart) / 1e7) / 100.0);

            ObjectNode result;
            try (Progress progress = new Progress(scenario)) {
                result = switch (scenario) {
                    case "throughput" -> ThroughputScenario.run(api, fixture, clients, warmup, duration, login,
                            args.duration("catch-up-timeout", Duration.ofSeconds(120)), progress);
                    case "latency" -> latency(args, api, fixture, warmup, duration, login, bootstrap, progress);
                    default -> FlatCostScenario.run(api, fixture.get(0), fixture.get(1), warmup,
                            args.integer("short-length", 10), args.integer("long-length", 10_000),
                            args.integer("samples", 200), args.integer("grow-concurrency", 4), progress);
                };
                report.set("requests", progress.toJson());
                report.set("result", result);
                report.put("finishedAt", Instant.now().toString());
                Report.write(report, args.string("out", null));
                System.exit(progress.ok.sum() > 0 ? 0 : 1);
            }
        }
    }

    /** The open-loop run, with the freshness and publication-lag probes running beside it when reachable. */
    private static ObjectNode latency(Args args, CommandApi api, List<CommandApi.Session> fixture, Duration warmup,
                                      Duration duration, ReadModel.Login login, String bootstrap, Progress progress)
            throws Exception {
        Duration catchUp = args.duration("catch-up-timeout", Duration.ofSeconds(120));
        Set<String> subjects = fixture.stream().map(s -> s.sessionId().toString()).collect(Collectors.toSet());
        try (FreshnessProbe freshness = login.disabled() ? null
                     : new FreshnessProbe(login, args.duration("poll-interval", Duration.ofMillis(2)));
             PublicationLagProbe publication = bootstrap.equals("none") ? null
                     : new PublicationLagProbe(bootstrap, args.string("topic", "transcript.events"), subjects)) {
            ObjectNode result = LatencyScenario.run(api, fixture, args.integer("rate", 1000),
                    args.integer("max-in-flight", 2000), warmup, duration, freshness, publication, progress);
            progress.extra(() -> "load done; waiting for rows: freshness-pending="
                    + (freshness == null ? "-" : freshness.pending()));
            if (freshness != null) {
                result.set("freshness", freshness.finish(catchUp));
            }
            if (publication != null) {
                result.set("publicationLag", publication.finish(Duration.ofSeconds(3), catchUp));
            }
            return result;
        }
    }
}
