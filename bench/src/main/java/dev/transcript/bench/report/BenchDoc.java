package dev.transcript.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * docs/benchmarks.md: a title and an intro, then one section per run, newest first. A new run goes in
 * right below the marker line, so earlier runs (and anything a person wrote into them, such as the
 * limiting stage) are kept as they are.
 */
final class BenchDoc {

    static final String MARKER = "<!-- bin/stack bench inserts each new run below this line; earlier runs stay below it. -->";

    static final String INTRO = """
            # Benchmarks

            Results of `bin/stack bench`, newest run first. Each run builds the current code, starts a stack of
            its own (state in `.stack/bench`, ports 28081/28082/29092/29093, database `transcript_bench`
            created fresh on the local PostgreSQL), runs the raw baselines and the scenarios, stops the stack and
            adds its section here. Nothing else needs to be running.

            ```bash
            bin/stack bench --quick   # short runs, under 2 minutes: what CI can afford
            bin/stack bench           # the full suite (60 s runs, 500,000-event catch-up), under 15 minutes
            ```

            How to read a run:
            - **measured** is this run's figure; **target** is the issue's; **met?** says whether the target (and
              the baseline ratio, where there is one) was reached. A missed target does not fail the command;
              an error does (a program failing, requests answered with errors, rows that never appear).
            - **vs. raw baseline** compares a figure with what PostgreSQL or Kafka alone manage on the same machine
              in the same run: (a) pgbench doing what one command must do in the database (read the stream head,
              insert one ~300-byte event row, commit) at the throughput run's concurrency; (b) pgbench writing
              what one projection batch writes (a 500-row INSERT, a counter UPDATE, a progress upsert) in one
              transaction, 2 clients like the listener; (c) Kafka's own producer benchmark with records the size
              of a MessagePosted CloudEvent. The issue asks for at least 50 % of each.
            - The machine has 2 cores shared by the load generator, both services, PostgreSQL and Kafka (and
              other developers): absolute numbers move ±20–30 % between runs. Compare ratios within one run, and
              runs of the same mode with each other (quick runs are shorter and warm up less).
            - A `--quick` run says so in its heading; it measures every figure, with shorter runs, a smaller
              catch-up backlog (20,000 events) and a shorter long conversation for the flat cost (2,000).
            - Each run ends with a "limiting stage" note to fill in by hand: which stage limits each missed
              figure, and the evidence.

            """ + MARKER + "\n";

    private BenchDoc() {
    }

    /** The run's section: heading, machine line, table, problems, notes. */
    static String section(Results results, Figures figures) {
        JsonNode run = results.run();
        JsonNode machine = run.path("machine");
        StringBuilder out = new StringBuilder();
        String date = run.has("startedAt")
                ? DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                        .format(Instant.parse(run.path("startedAt").asText()))
                : "unknown date";
        String commit = run.path("commit").asText("unknown") + (run.path("dirty").asBoolean(false) ? "-dirty" : "");
        String mode = run.path("mode").asText("?");
        out.append("## ").append(date).append(" — ").append(mode).append(" — ").append(commit).append("\n\n");

        out.append(String.format(Locale.US,
                "**Machine:** %s cores, %s GiB RAM; Java %s; %s (%s, fsync %s, synchronous_commit %s); Kafka %s (one KRaft broker, loopback)",
                machine.path("cores").asText("?"), Figures.number(machine.path("memoryMiB").asDouble(Double.NaN) / 1024),
                machine.path("java").asText("?"), machine.path("postgres").asText("PostgreSQL ?"),
                machine.path("pgKind").asText("?") + " server", machine.path("fsync").asText("?"),
                machine.path("synchronousCommit").asText("?"), machine.path("kafka").asText("?")));
        out.append(commit.endsWith("-dirty") ? "; working tree with uncommitted changes.\n\n" : ".\n\n");
        JsonNode timings = run.path("timings");
        out.append(String.format(Locale.US, "**Run:** `%s`, %s s from start to this report (build %s s, stack up %s s).%n%n",
                mode.equals("quick") ? "bin/stack bench --quick" : "bin/stack bench",
                timings.path("secondsToReport").asText("?"), timings.path("buildSeconds").asText("?"),
                timings.path("stackUpSeconds").asText("?")));

        out.append(table(figures.rows)).append('\n');
        long judged = figures.rows.stream().filter(r -> !r.met().equals("—")).count();
        long met = figures.rows.stream().filter(r -> r.met().startsWith("yes")).count();
        out.append(String.format(Locale.US, "**Met:** %d of %d figures.%n%n", met, judged));

        if (figures.problems.isEmpty() && !figures.findings.isEmpty()) {
            out.append("**Problems:** none (every result present; connections dropped under overload are in the notes).\n\n");
        } else if (figures.problems.isEmpty()) {
            out.append("**Problems:** none (no errors; every result present).\n\n");
        } else {
            out.append("**Problems** (numbers affected by these are suspect):\n");
            figures.problems.forEach(p -> out.append("- ").append(p.replace("\n", " ")).append('\n'));
            out.append('\n');
        }

        out.append("**Notes:**\n");
        for (String note : notes(run)) {
            out.append("- ").append(note).append('\n');
        }
        figures.findings.forEach(finding -> out.append("- ").append(finding).append('\n'));
        out.append("- Limiting stage: _not analysed yet: for each missed figure, name the stage that limits it "
                + "(HTTP, command handling, event-store append, publication, projection) and the evidence._\n");
        return out.toString();
    }

    private static List<String> notes(JsonNode run) {
        JsonNode s = run.path("settings");
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.US,
                "Settings: throughput %s clients on %s sessions, %s s after %s s warm-up (closed loop; the first load "
                        + "on the fresh JVMs); latency open loop at %s/s on %s sessions for %s s after %s s warm-up, from the "
                        + "intended send time; flat cost %s vs %s messages, %s samples each, %s s warm-up; catch-up backlog "
                        + "%s events; pgbench %s s per baseline.",
                s.path("throughputClients").asText("?"), s.path("throughputSessions").asText("?"),
                s.path("throughputSeconds").asText("?"), s.path("warmupSeconds").asText("?"),
                grouped(s.path("latencyRate")), s.path("latencySessions").asText("?"), s.path("latencySeconds").asText("?"),
                s.path("latencyWarmupSeconds").asText("?"), grouped(s.path("flatShort")), grouped(s.path("flatLong")),
                s.path("flatSamples").asText("?"), s.path("flatWarmupSeconds").asText("?"),
                grouped(s.path("catchUpEvents")), s.path("pgbenchSeconds").asText("?")));
        if (s.path("flatLong").asLong(10_000) < 10_000) {
            notes.add(String.format(Locale.US, "Flat cost ran at %s vs %s messages (quick mode's time budget), not 10 vs 10,000.",
                    grouped(s.path("flatShort")), grouped(s.path("flatLong"))));
        }
        if (s.path("catchUpEvents").asLong(500_000) < 500_000) {
            notes.add(String.format(Locale.US, "Catch-up ran on a backlog of %s events (quick mode's time budget), not 500,000.",
                    grouped(s.path("catchUpEvents"))));
        }
        notes.add("Users are registered with bcrypt cost " + s.path("bcryptCost").asText("4")
                + " (TRANSCRIPT_USERS_BCRYPT_COST) so that the fixture is set up fast; the measured command, PostMessage, hashes nothing.");
        notes.add("Memory is VmHWM, the peak resident set since each service started (start-up and the throughput run "
                + "included), read right after the throughput run; the services run with the stack's SERVICE_JAVA_OPTS ("
                + s.path("serviceJavaOpts").asText("-Xmx512m") + ").");
        notes.add("Publication lag runs from the CloudEvent `time` (stamped when the command-service creates the event, "
                + "before its transaction commits) to a read_committed consumer holding the record: a slight over-estimate "
                + "of \"committed → on the topic\".");
        notes.add("Publication throughput is not measured on its own: every event of the throughput run reached the topic "
                + "(the projection read it from there), so the command rate is a lower bound of it.");
        notes.add("Catch-up: projection-service stopped, the backlog written straight to the topic by CatchUpLoad "
                + "(users, then sessions, then messages round-robin), the service started again; the clock "
                + "(CatchUpMeter, every 250 ms) starts at the poll before its offsets first move, so start-up is not "
                + "counted, and stops when the offsets reach the end and no event is parked (a session consumed "
                + "before its user, on another partition, waits in projection.parked_event with its messages).");
        JsonNode c = run.path("baselines").path("c");
        if (c.has("recordSize")) {
            notes.add("Baseline (c) uses Kafka's ProducerPerformance " + c.path("toolVersion").asText("?")
                    + " (kafka-tools 4.4.0 is not on Maven Central) against the 4.4.0 broker, " + c.path("recordSize").asText()
                    + "-byte records (a MessagePosted CloudEvent as encoded by the service); its payload is random "
                    + "letters, which lz4 compresses less than JSON.");
        }
        for (JsonNode note : run.path("notes")) {
            notes.add(note.asText());
        }
        return notes;
    }

    private static String grouped(JsonNode n) {
        return n.isNumber() ? String.format(Locale.US, "%,d", n.asLong()) : n.asText("?");
    }

    /** A Markdown table, columns padded so that it also reads well as plain text. */
    static String table(List<Figures.Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"figure", "measured", "target", "vs. raw baseline (same run)", "met?"});
        for (Figures.Row row : rows) {
            cells.add(new String[] {row.figure(), row.measured(), row.target(), row.baseline(), row.met()});
        }
        int[] width = new int[5];
        for (String[] line : cells) {
            for (int i = 0; i < 5; i++) {
                line[i] = line[i].replace("|", "\\|").replace("\n", " ");
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < cells.size(); r++) {
            out.append('|');
            for (int i = 0; i < 5; i++) {
                out.append(' ').append(pad(cells.get(r)[i], width[i])).append(" |");
            }
            out.append('\n');
            if (r == 0) {
                out.append('|');
                for (int i = 0; i < 5; i++) {
                    out.append(' ').append("-".repeat(width[i])).append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    /**
     * Puts the section in below the marker (newest on top). A file without the marker (edited by hand)
     * gets it in before its first run section; a missing file is created with the title and intro.
     */
    static void prepend(Path doc, String section) throws IOException {
        String text = Files.isRegularFile(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : INTRO;
        String insert = "\n" + section + "\n";
        int marker = text.indexOf(MARKER);
        String result;
        if (marker >= 0) {
            int after = text.indexOf('\n', marker);
            after = after < 0 ? text.length() : after + 1;
            result = text.substring(0, after) + insert + text.substring(after).replaceFirst("^\n+", "");
        } else {
            int firstRun = text.startsWith("## ") ? 0 : text.indexOf("\n## ");
            if (firstRun < 0) {
                result = text.stripTrailing() + "\n\n" + MARKER + "\n" + insert;
            } else {
                int at = firstRun == 0 ? 0 : firstRun + 1;
                result = text.substring(0, at) + MARKER + "\n" + insert + text.substring(at);
            }
        }
        if (doc.getParent() != null) {
            Files.createDirectories(doc.getParent());
        }
        Path tmp = doc.resolveSibling(doc.getFileName() + ".tmp");
        Files.writeString(tmp, result, StandardCharsets.UTF_8);
        Files.move(tmp, doc, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
