import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/stack demo}: drives realistic traffic through the command-service's HTTP API — users, sessions
 * with a container each, conversations, git checkpoints, token usage — then prints what to look at.
 *
 * <p>JDK only (java.net.http), run with the source launcher from the repository root:
 * <pre>java stack/demo/Demo.java [--users N] [--sessions M] [--messages K] [--threads T]
 *      [--sessions-file PATH] [--plain-progress]</pre>
 * The command-service is at http://127.0.0.1:$COMMAND_SERVICE_PORT (8081), the projection-service at
 * http://127.0.0.1:$PROJECTION_SERVICE_PORT (8082); SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and
 * SPRING_KAFKA_BOOTSTRAP_SERVERS (what bin/stack writes to .stack/stack.env) only shape the psql and kcat
 * lines it prints.
 *
 * <p>Each session is one task (its requests in order, as a client would send them); sessions run
 * concurrently on a few threads. Every POST carries an Idempotency-Key, so the one retry it allows (503
 * with Retry-After, or a dropped connection) appends nothing twice. The first request that fails ends the
 * run: one line on stderr with its status and body, exit status 1.
 */
public class Demo {

    static final PrintStream OUT = System.out;
    static final PrintStream ERR = System.err;

    // ---------------------------------------------------------------------------------------------
    // Options
    // ---------------------------------------------------------------------------------------------

    record Options(int users, int sessions, int messages, int threads, Path sessionsFile, boolean plainProgress) {
    }

    static final String USAGE = """
            usage: java stack/demo/Demo.java [--users N] [--sessions M] [--messages K] [--threads T]
                                             [--sessions-file PATH] [--plain-progress]
              --users N          users to register (default 5; the first is made an admin)
              --sessions M       sessions to run, spread over the users (default 10)
              --messages K       chat messages per session, user and assistant in turn (default 20)
              --threads T        sessions driven at once (default 4)
              --sessions-file P  write the created session ids there, on one line
              --plain-progress   progress as a line per quarter instead of a \\r bar (for logs)""";

    static Options parse(String[] args) {
        int users = 5, sessions = 10, messages = 20, threads = 4;
        Path sessionsFile = null;
        boolean plain = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "-h", "--help" -> {
                    OUT.println(USAGE);
                    System.exit(0);
                }
                case "--plain-progress" -> plain = true;
                case "--users", "--sessions", "--messages", "--threads", "--sessions-file" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            usageError(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--users" -> users = count(arg, value, 1, 10_000);
                        case "--sessions" -> sessions = count(arg, value, 1, 100_000);
                        case "--messages" -> messages = count(arg, value, 1, 10_000);
                        case "--threads" -> threads = count(arg, value, 1, 64);
                        default -> sessionsFile = Path.of(value);
                    }
                }
                default -> usageError("unknown argument '" + args[i] + "'");
            }
        }
        return new Options(users, sessions, messages, threads, sessionsFile, plain);
    }

    static int count(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        usageError(option + " must be a number from " + min + " to " + max + " (got '" + value + "')");
        return 0;
    }

    static void usageError(String message) {
        ERR.println("demo: error: " + message);
        ERR.println(USAGE);
        System.exit(2);
    }

    static void die(String message) {
        ERR.println("demo: error: " + oneLine(message, 2000));
        System.exit(1);
    }

    // ---------------------------------------------------------------------------------------------
    // Main
    // ---------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        String commandBase = "http://127.0.0.1:" + env("COMMAND_SERVICE_PORT", "8081");
        String projectionBase = "http://127.0.0.1:" + env("PROJECTION_SERVICE_PORT", "8082");
        Api api = new Api(commandBase);

        Optional<String> notUp = api.healthProblem();
        if (notUp.isPresent()) {
            die("the command service at " + commandBase + " is not up: " + notUp.get()
                    + " (start the stack with bin/stack up)");
        }

        Run run = new Run(api, options);
        Progress progress = new Progress(run.plannedRequests(), api.requests, options.plainProgress());
        progress.start();
        long started = System.nanoTime();
        try {
            run.execute();
        } catch (RequestFailed e) {
            progress.stop(false);
            die(e.getMessage());
        } finally {
            progress.stop(true);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int requests = api.requests.get();
        if (requests != run.plannedRequests()) {
            ERR.printf("demo: warning: sent %d requests, planned %d%n", requests, run.plannedRequests());
        }
        run.writeSessionsFile();
        report(run, options, requests, seconds, projectionBase, api);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    static void report(Run run, Options options, int requests, double seconds, String projectionBase, Api api) {
        OUT.printf(Locale.ROOT, "demo: %d users, %d sessions (%d stopped), %d messages, %d token usages, %d checkpoints:"
                        + " %d requests in %.1f s, %.1f requests/s%s%n",
                options.users(), options.sessions(), run.stopped.get(), run.messages.get(), run.usages.get(),
                run.checkpoints.get(), requests, seconds, requests / Math.max(seconds, 1e-3),
                api.retries.get() == 0 ? "" : " (" + api.retries.get() + " retried)");
        List<String> ids = run.sessionIds();
        OUT.println("session ids" + (options.sessionsFile() == null ? "" : " (also in " + options.sessionsFile() + ")")
                + ": " + String.join(" ", ids));

        SessionResult first = run.results[0];
        OUT.println();
        OUT.println("Read API (projection-service"
                + (api.answers(projectionBase + "/actuator/health") ? "" : "; it does not answer at " + projectionBase
                + " yet") + "):");
        OUT.println("  curl -s " + projectionBase + "/api/sessions/" + first.sessionId());
        OUT.println("  curl -s '" + projectionBase + "/api/conversations/" + first.conversationId() + "/messages?limit=5'");
        OUT.println("  curl -s '" + projectionBase + "/api/token-usage/summary?groupBy=model'");
        OUT.println("  curl -s " + projectionBase + "/api/projections/status");
        OUT.println("Event store (command-service):");
        OUT.println("  curl -s " + api.base + "/api/audit/sessions/" + first.sessionId() + "/events");

        // jdbc:postgresql://host[:port]/database[?parameters]
        String url = env("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/transcript");
        String host = "127.0.0.1", port = "5432", database = "transcript";
        Matcher jdbc = Pattern.compile("jdbc:postgresql://([^/:?]+)(?::(\\d+))?(?:/([^?]*))?.*").matcher(url);
        if (jdbc.matches()) {
            host = jdbc.group(1);
            port = jdbc.group(2) == null ? "5432" : jdbc.group(2);
            database = jdbc.group(3) == null || jdbc.group(3).isEmpty() ? database : jdbc.group(3);
        }
        String user = env("SPRING_DATASOURCE_USERNAME", "postgres");
        OUT.println("Read model tables (PostgreSQL, schema gateway):");
        OUT.println("  psql -h " + host + " -p " + port + " -U " + user + " -d " + database
                + " -c \"SELECT status, count(*) FROM gateway.sessions GROUP BY status\"");
        String bootstrap = env("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + env("KAFKA_PORT", "9092"));
        OUT.println("The event stream (Kafka topic transcript.events, CloudEvents keyed by aggregate id):");
        OUT.println("  kcat -b " + bootstrap.split(",")[0] + " -t transcript.events -C -o beginning -c 5 -f '%k %s\\n'");
    }

    // ---------------------------------------------------------------------------------------------
    // The traffic
    // ---------------------------------------------------------------------------------------------

    record SessionResult(String sessionId, String conversationId) {
    }

    /** What the demo does; {@link #plannedRequests()} must count exactly the requests {@link #execute()} sends. */
    static final class Run {

        final Api api;
        final Options options;
        final String runId;
        final String[] userIds;
        final SessionResult[] results;
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger usages = new AtomicInteger();
        final AtomicInteger checkpoints = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();

        Run(Api api, Options options) {
            this.api = api;
            this.options = options;
            // Emails and container names are unique for ever: a run id keeps runs apart.
            this.runId = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(new Random().nextInt(36 * 36), 36);
            this.userIds = new String[options.users()];
            this.results = new SessionResult[options.sessions()];
        }

        int plannedRequests() {
            int total = options.users() + 1; // registrations and one role change
            for (int s = 0; s < options.sessions(); s++) {
                total += 3; // start, container created, container started
                for (int m = 1; m <= options.messages(); m++) {
                    total += 1;
                    if (isAssistant(m)) {
                        total += 1; // token usage
                    }
                    if (checkpointAfter(m)) {
                        total += 1;
                    }
                    if (extendAfter(s, m)) {
                        total += 1;
                    }
                }
                if (stops(s)) {
                    total += 2; // session stopped, container stopped
                }
            }
            return total;
        }

        static boolean isAssistant(int messageNumber) {
            return messageNumber % 2 == 0;
        }

        /** A checkpoint after every fourth message (an assistant's, so the code it describes exists). */
        static boolean checkpointAfter(int messageNumber) {
            return messageNumber % 4 == 0;
        }

        /** Every fourth session is extended half-way through its conversation. */
        boolean extendAfter(int session, int messageNumber) {
            return session % 4 == 3 && messageNumber == (options.messages() + 1) / 2;
        }

        /** About a third of the sessions are stopped at the end (the user closes them); the rest stay active. */
        static boolean stops(int session) {
            return session % 3 == 1;
        }

        void execute() throws InterruptedException {
            int threads = Math.min(options.threads(), Math.max(options.users(), options.sessions()));
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "demo");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Callable> users = new ArrayList<>();
                for (int u = 0; u < options.users(); u++) {
                    int index = u;
                    users.add(() -> registerUser(index));
                }
                runAll(pool, users);
                // The first user administers the others.
                api.post("/api/users/" + userIds[0] + "/role", new Json().field("role", "admin"), 200);

                List<Callable> sessions = new ArrayList<>();
                for (int s = 0; s < options.sessions(); s++) {
                    int index = s;
                    sessions.add(() -> runSession(index));
                }
                runAll(pool, sessions);
            } finally {
                pool.shutdownNow();
            }
        }

        interface Callable {
            void call() throws InterruptedException;
        }

        /** Runs the tasks on the pool; the first failure cancels the rest and is thrown. */
        void runAll(ExecutorService pool, List<Callable> tasks) throws InterruptedException {
            List<Future<?>> futures = new ArrayList<>();
            for (Callable task : tasks) {
                futures.add(pool.submit(() -> {
                    task.call();
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    api.abort("the demo itself failed: " + e.getCause());
                    futures.forEach(f -> f.cancel(true));
                    throw new RequestFailed(api.firstFailure.get());
                }
            }
        }

        void registerUser(int index) throws InterruptedException {
            String body = api.post("/api/users", new Json()
                    .field("email", "demo-" + runId + "-" + (index + 1) + "@example.com")
                    .field("password", "correct horse " + runId)
                    .field("role", "user"), 201);
            userIds[index] = api.field(body, "id");
        }

        void runSession(int index) throws InterruptedException {
            Random random = new Random(runId.hashCode() * 31L + index);
            String userId = userIds[index % userIds.length];
            String started = api.post("/api/sessions",
                    new Json().field("userId", userId).field("ttlSeconds", 3600), 201);
            String sessionId = api.field(started, "sessionId");
            String conversationId = api.field(started, "conversationId");
            results[index] = new SessionResult(sessionId, conversationId);
            String session = "/api/sessions/" + sessionId;

            Sandbox sandbox = Sandbox.SANDBOXES[index % Sandbox.SANDBOXES.length];
            api.post(session + "/container", new Json()
                    .field("containerId", sha("sha-256", runId + "/container/" + index))
                    .field("containerName", "demo-" + runId + "-" + (index + 1))
                    .field("image", sandbox.image())
                    .raw("cpuLimit", sandbox.cpus())
                    .field("memoryLimitMb", sandbox.memoryMb()), 201);
            api.post(session + "/container/started", new Json(), 200);

            String model = Content.MODELS[index % Content.MODELS.length];
            int context = 350 + random.nextInt(200); // the system prompt the model is given
            int topic = random.nextInt(Content.PROMPTS.length);
            for (int m = 1; m <= options.messages(); m++) {
                boolean assistant = isAssistant(m);
                int exchange = topic + (m - 1) / 2; // a prompt and the reply to it
                String content = assistant
                        ? Content.REPLIES[exchange % Content.REPLIES.length]
                        : Content.PROMPTS[exchange % Content.PROMPTS.length];
                int tokens = Math.max(1, content.length() / 4 + random.nextInt(assistant ? 400 : 20));
                String posted = api.post(session + "/messages", new Json()
                        .field("role", assistant ? "assistant" : "user")
                        .field("content", content)
                        .field("tokensUsed", tokens), 201);
                messages.incrementAndGet();
                if (assistant) {
                    // The assistant's reply is what was charged: the context in, the reply out.
                    api.post(session + "/token-usage", new Json()
                            .field("model", model)
                            .field("inputTokens", context)
                            .field("outputTokens", tokens)
                            .field("chatMessageId", api.field(posted, "messageId")), 201);
                    usages.incrementAndGet();
                }
                context += tokens;
                if (checkpointAfter(m)) {
                    api.post(session + "/checkpoints", new Json()
                            .field("commitHash", sha("sha-1", sessionId + "/" + m))
                            .field("messageNumber", m)
                            .field("description", Content.COMMITS[(topic + (m - 1) / 2) % Content.COMMITS.length])
                            .field("filesChanged", 1 + random.nextInt(12)), 201);
                    checkpoints.incrementAndGet();
                }
                if (extendAfter(index, m)) {
                    api.post(session + "/extend", new Json().field("ttlSeconds", 1800), 200);
                }
            }
            if (stops(index)) {
                api.post(session + "/stop", new Json(), 200);
                api.post(session + "/container/stopped", new Json(), 200);
                stopped.incrementAndGet();
            }
        }

        List<String> sessionIds() {
            List<String> ids = new ArrayList<>();
            for (SessionResult result : results) {
                ids.add(result.sessionId());
            }
            return ids;
        }

        void writeSessionsFile() throws IOException {
            if (options.sessionsFile() == null) {
                return;
            }
            Path file = options.sessionsFile().toAbsolutePath();
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, String.join(" ", sessionIds()) + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static String sha(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    record Sandbox(String image, String cpus, int memoryMb) {
        static final Sandbox[] SANDBOXES = {
                new Sandbox("ghcr.io/transcript/sandbox-node:22", "1.00", 1024),
                new Sandbox("ghcr.io/transcript/sandbox-python:3.12", "2.00", 2048),
                new Sandbox("ghcr.io/transcript/sandbox-go:1.23", "0.50", 512),
        };
    }

    /** Canned conversation pieces (REPLIES[i] answers PROMPTS[i]): quotes, backslashes, newlines, tabs and
     *  non-ASCII on purpose. */
    static final class Content {
        static final String[] MODELS = {"claude-sonnet-4-5", "gpt-4.1", "gemini-2.5-pro"};

        static final String[] PROMPTS = {
                "Build me a todo app with a \"done\" checkbox; keep the list in localStorage.",
                "The tests fail with:\n\n    TypeError: Cannot read properties of undefined (reading 'map')\n\nCan you fix it?",
                "Add a dark mode toggle — it must stay readable (WCAG AA contrast).",
                "Write a Python script that counts the words in a file, ignoring punctuation like \"…\" and «quotes».",
                "Explain what this regex does: ^(?:[a-z0-9-]+\\.)*example\\.com$",
                "Rename the `Item` component to `TodoItem` and update every import.",
                "Make the API client retry on 503, honouring Retry-After, at most 3 times.",
                "Can you add a README section on running it in Docker?\tThanks!",
        };

        static final String[] REPLIES = {
                "Here is a first version. I created `src/App.jsx` and `src/storage.js`:\n\n```js\n"
                        + "const todos = JSON.parse(localStorage.getItem(\"todos\") ?? \"[]\");\n"
                        + "export const save = (items) => localStorage.setItem(\"todos\", JSON.stringify(items));\n```\n\n"
                        + "Run `npm run dev` and open http://localhost:5173.",
                "The list was `undefined` on the first render, before the fetch resolved. I default it to an empty "
                        + "array:\n\n```js\nconst [items, setItems] = useState([]);\n```\n\nAll 12 tests pass now ✅.",
                "Done: a `ThemeToggle` button stores the choice under `prefers-theme` and sets "
                        + "`data-theme=\"dark\"` on `<html>`. Contrast ratios are 7.1:1 (text) and 4.6:1 (links).",
                "```python\nimport re, sys\nfrom collections import Counter\n\n"
                        + "words = re.findall(r\"[\\w']+\", open(sys.argv[1], encoding=\"utf-8\").read().lower())\n"
                        + "for word, n in Counter(words).most_common(10):\n    print(f\"{n:6}\\t{word}\")\n```",
                "It matches `example.com` and any of its subdomains (`a.b.example.com`): `(?:[a-z0-9-]+\\.)*` is zero "
                        + "or more labels, each followed by a literal dot; `^` and `$` anchor the whole name.",
                "Renamed in 4 files:\n- src/components/TodoItem.jsx\n- src/components/TodoList.jsx\n"
                        + "- src/App.jsx\n- src/__tests__/TodoItem.test.jsx",
                "The client now retries 503 answers: it waits `Retry-After` seconds (capped at 30), sends the same "
                        + "`Idempotency-Key` again, and gives up after the third attempt.",
                "Added \"Running in Docker\" to the README:\n\n```sh\ndocker build -t todo .\n"
                        + "docker run --rm -p 5173:5173 todo\n```",
        };

        /** What the checkpoint after each reply commits: COMMITS[i] goes with REPLIES[i]. */
        static final String[] COMMITS = {
                "Scaffold the todo app", "Fix the undefined list on first render", "Add the dark mode toggle",
                "Word count script", "Comment the domain regex", "Rename Item to TodoItem",
                "Retry 503 answers in the API client", "README: running in Docker",
        };
    }

    // ---------------------------------------------------------------------------------------------
    // HTTP
    // ---------------------------------------------------------------------------------------------

    /** A request that failed; the message is the one line the demo prints. */
    static final class RequestFailed extends RuntimeException {
        RequestFailed(String message) {
            super(message, null, false, false);
        }
    }

    static final class Api {
        static final int ATTEMPTS = 3;
        static final Pattern FIELD = Pattern.compile("\"([A-Za-z]+)\"\\s*:\\s*\"([^\"]*)\"");

        final String base;
        final HttpClient client;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        /** The first real failure; once set, every other request stops before it is sent. */
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        Api(String base) {
            this.base = base;
            // HTTP/1.1: the services speak it; HTTP/2 would first try an h2c upgrade on every connection.
            this.client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
        }

        RequestFailed fail(String message) {
            firstFailure.compareAndSet(null, message);
            return new RequestFailed(message);
        }

        void abort(String why) {
            firstFailure.compareAndSet(null, why);
        }

        /** Empty when GET /actuator/health answers "UP"; otherwise what is wrong. */
        Optional<String> healthProblem() throws InterruptedException {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().matches("(?s).*\"status\"\\s*:\\s*\"UP\".*")) {
                    return Optional.empty();
                }
                return Optional.of("GET /actuator/health answered " + response.statusCode() + " " + oneLine(response.body(), 300));
            } catch (ConnectException e) {
                return Optional.of("nothing answers (connection refused)");
            } catch (IOException e) {
                return Optional.of("GET /actuator/health failed: " + describe(e));
            }
        }

        boolean answers(String url) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** POSTs the JSON body; answers the response body, or throws {@link RequestFailed}. */
        String post(String path, Json body, int expectedStatus) throws InterruptedException {
            String json = body.toString();
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .header("Idempotency-Key", "demo-" + UUID.randomUUID())
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                    .build();
            for (int attempt = 1; ; attempt++) {
                if (firstFailure.get() != null) {
                    throw new RequestFailed("aborted");
                }
                HttpResponse<String> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    if (attempt < ATTEMPTS && !(e instanceof ConnectException)) {
                        retries.incrementAndGet();
                        Thread.sleep(500L * attempt);
                        continue;
                    }
                    throw fail("POST " + path + " failed: " + describe(e));
                }
                if (response.statusCode() == 503 && attempt < ATTEMPTS) {
                    // "could not commit in time": the same key again is safe.
                    retries.incrementAndGet();
                    long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                    Thread.sleep(Math.min(Math.max(wait, 1), 5) * 1000);
                    continue;
                }
                if (response.statusCode() != expectedStatus) {
                    throw fail("POST " + path + " answered " + response.statusCode() + " (expected "
                            + expectedStatus + "): " + oneLine(response.body(), 1000) + " — request body: "
                            + oneLine(json, 300));
                }
                requests.incrementAndGet();
                return response.body();
            }
        }

        /** A string field of a JSON answer (the ids the API answers are flat strings). */
        String field(String body, String name) {
            Matcher matcher = FIELD.matcher(body);
            while (matcher.find()) {
                if (matcher.group(1).equals(name)) {
                    return matcher.group(2);
                }
            }
            throw fail("the answer has no \"" + name + "\": " + oneLine(body, 500));
        }
    }

    static String describe(IOException e) {
        String what = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName();
        return e.getMessage() == null ? what : what + ": " + e.getMessage();
    }

    static String oneLine(String text, int max) {
        String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.length() <= max ? line : line.substring(0, max) + "…";
    }

    /** A flat JSON object, written by hand: strings escaped per RFC 8259, numbers as given. */
    static final class Json {
        private final StringBuilder out = new StringBuilder("{");

        Json field(String name, String value) {
            return raw(name, quote(value));
        }

        Json field(String name, long value) {
            return raw(name, Long.toString(value));
        }

        /** A value that is already JSON (e.g. a decimal number kept as text). */
        Json raw(String name, String json) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(name)).append(':').append(json);
            return this;
        }

        @Override
        public String toString() {
            return out + "}";
        }

        static String quote(String s) {
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> {
                        // Control characters must be escaped; U+2028/2029 too, for JavaScript readers.
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Progress bar (stderr)
    // ---------------------------------------------------------------------------------------------

    static final class Progress {
        static final int WIDTH = 30;

        final int total;
        final AtomicInteger done;
        final boolean plain;
        final long started = System.nanoTime();
        final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-progress");
            t.setDaemon(true);
            return t;
        });
        int lastQuarter = -1;
        boolean stopped;

        Progress(int total, AtomicInteger done, boolean plain) {
            this.total = total;
            this.done = done;
            this.plain = plain;
        }

        void start() {
            ticker.scheduleAtFixedRate(this::draw, 0, plain ? 500 : 150, TimeUnit.MILLISECONDS);
        }

        synchronized void stop(boolean drawLast) {
            if (stopped) {
                return;
            }
            stopped = true;
            ticker.shutdownNow();
            if (drawLast) {
                render(true);
            }
            if (!plain) {
                ERR.println();
            }
            ERR.flush();
        }

        synchronized void draw() {
            if (!stopped) {
                render(false);
            }
        }

        private void render(boolean last) {
            int n = Math.min(done.get(), total);
            int percent = total == 0 ? 100 : (int) (100L * n / total);
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = seconds > 0 ? n / seconds : 0;
            if (plain) {
                int quarter = percent / 25;
                if (quarter != lastQuarter && (quarter > 0 || last)) {
                    lastQuarter = quarter;
                    ERR.printf(Locale.ROOT, "demo: %3d%%  %d/%d requests  %.1f requests/s%n", percent, n, total, rate);
                }
                return;
            }
            int filled = WIDTH * n / Math.max(total, 1);
            ERR.printf(Locale.ROOT, "\rdemo [%s%s] %3d%%  %d/%d requests  %.1f requests/s ",
                    "#".repeat(filled), ".".repeat(WIDTH - filled), percent, n, total, rate);
            ERR.flush();
        }
    }
}
