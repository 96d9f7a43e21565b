package dev.transcript.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The table, one row per figure, from the JSON results of one run: what was measured, the target,
 * the ratio to the raw baseline of the same run where the issue names one, and whether both were met.
 * Also collects the problems of the run (errors, missing results): a missed target is a finding, a
 * problem means a number cannot be trusted.
 */
final class Figures {

    /** One line of the table. {@code met} is "yes", "no: ...", or "—" when nothing is to be met. */
    record Row(String figure, String measured, String target, String baseline, String met) {
    }

    private static final double MIB = 1024.0;
    /** "Keeping up": the last row of the throughput run visible within this long after the load stopped. */
    static final long KEPT_UP_WITHIN_MS = 1000;

    final List<Row> rows = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    /** What the run showed that is a finding about the service, not a fault of the run: printed among the notes. */
    final List<String> findings = new ArrayList<>();

    private final Results results;

    private Figures(Results results) {
        this.results = results;
    }

    static Figures of(Results results) {
        Figures figures = new Figures(results);
        figures.build();
        return figures;
    }

    private void build() {
        JsonNode run = results.run();
        JsonNode baselines = run.path("baselines");
        double tps = baselines.path("a").path("tps").asDouble(0);
        double batchRows = baselines.path("b").path("tps").asDouble(0) * baselines.path("b").path("rowsPerTransaction").asDouble(0);
        double producer = baselines.path("c").path("recordsPerSecond").asDouble(0);

        throughput(tps, producer);
        latency();
        catchUp(batchRows);
        flatCost();
        memory();
        baselineRows(baselines);
        for (JsonNode failure : run.path("failures")) {
            problems.add(failure.asText());
        }
    }

    // --- the figures ------------------------------------------------------------------------------

    private void throughput(double baselineTps, double producerRate) {
        JsonNode doc = results.get("throughput");
        if (doc == null) {
            missing("command throughput", "≥ 2,500 commands/s, projections keep up", "throughput");
            missing("publication throughput", "≥ 50 % of (c)", "throughput");
            return;
        }
        errors("throughput", doc);
        JsonNode r = doc.path("result");
        long cps = r.path("commandsPerSecond").asLong();
        JsonNode projection = r.path("projection");
        boolean caughtUp = projection.path("caughtUp").asBoolean(false);
        long catchUpMs = projection.path("catchUpMs").asLong(-1);
        boolean keptUp = caughtUp && catchUpMs >= 0 && catchUpMs <= KEPT_UP_WITHIN_MS;
        String projectionText = projection.isMissingNode() ? "projection not checked"
                : caughtUp ? String.format(Locale.US, "projection %s (max backlog %,d, last row %,d ms after the load)",
                        keptUp ? "kept up" : "fell behind", projection.path("maxBacklogDuringRun").asLong(),
                        catchUpMs)
                : String.format(Locale.US, "projection never caught up (%,d of %,d rows visible)",
                        projection.path("visible").asLong(), projection.path("posted").asLong());
        String measured = String.format(Locale.US, "**%,d commands/s** (%d clients, %d sessions, %s s; p99 %s ms); %s",
                cps, r.path("clients").asInt(), r.path("sessions").asInt(), seconds(r.path("measuredSeconds")),
                ms(r.path("latency").path("p99Ms")), projectionText);
        Ratio ratio = Ratio.of(cps, baselineTps, "(a)");
        rows.add(new Row("command throughput", measured, "≥ 2,500 commands/s, projections keep up", ratio.text(),
                met(cps >= 2500 && keptUp, cps < 2500 ? "below 2,500/s" : "projection fell behind", ratio)));

        publication(cps, caughtUp, producerRate);
    }

    /**
     * Measured on its own when the run re-published its event store from a reset token (PublicationMeter);
     * otherwise the command rate is a lower bound, since every event of the throughput run reached the topic.
     */
    private void publication(long cps, boolean caughtUp, double producerRate) {
        JsonNode doc = results.get("publication");
        if (doc != null) {
            long rate = doc.path("eventsPerSecond").asLong();
            Ratio pub = Ratio.of(rate, producerRate, "(c)");
            String measured = String.format(Locale.US,
                    "**%,d events/s** (the publisher re-sending the whole event store, %,d events, from a reset token%s)",
                    rate, doc.path("storedEvents").asLong(), doc.path("complete").asBoolean() ? "" : "; INCOMPLETE");
            rows.add(new Row("publication throughput", measured, "≥ 50 % of (c)", pub.text(),
                    pub.known() ? (pub.met() ? "yes" : "no: below 50 % of (c)") : "—"));
        } else if (caughtUp) {
            Ratio pub = Ratio.of(cps, producerRate, "(c)");
            rows.add(new Row("publication throughput",
                    String.format(Locale.US, "≥ %,d events/s (lower bound: the throughput run's rate; all its events reached the topic)", cps),
                    "≥ 50 % of (c)", pub.text(),
                    pub.known() ? (pub.met() ? "yes" : "not shown (lower bound below 50 %)") : "—"));
        } else {
            rows.add(new Row("publication throughput", "not shown: the projection did not see every event",
                    "≥ 50 % of (c)", "—", "—"));
        }
    }

    private void latency() {
        JsonNode doc = results.get("latency");
        if (doc == null) {
            missing("command latency", "p99 ≤ 15 ms", "latency");
            missing("freshness", "p99 ≤ 50 ms", "latency");
            missing("publication lag", "p99 ≤ 25 ms", "latency");
            return;
        }
        JsonNode r = doc.path("result");
        JsonNode latency = r.path("latency");
        long errors = r.path("measuredErrors").asLong();
        long waited = r.path("sendsThatWaitedForAnInFlightSlot").asLong();
        if (waited > 0 && onlyDroppedConnections(doc.path("requests"))) {
            overloaded(doc.path("requests"), waited);
        } else {
            errors("latency", doc);
        }
        String measured = String.format(Locale.US, "%s, %,d/s offered for %s s, %,d answers measured, %,d errors%s",
                percentiles(latency), r.path("targetRate").asLong(), seconds(r.path("measuredSeconds")),
                latency.path("count").asLong(), errors,
                waited == 0 ? "" : String.format(Locale.US,
                        "; %,d sends waited for one of the %s in-flight slots (the service answered slower than offered)",
                        waited, doc.path("options").path("max-in-flight").asText("2000")));
        double p99 = latency.path("p99Ms").asDouble(Double.NaN);
        rows.add(new Row("command latency", measured, "p99 ≤ 15 ms at 1,000/s", "—", met(p99 <= 15, "p99 above 15 ms", null)));

        JsonNode freshness = r.path("freshness");
        if (freshness.isMissingNode()) {
            missing("freshness", "p99 ≤ 50 ms", "latency (freshness probe)");
        } else {
            long never = freshness.path("neverVisible").asLong();
            if (never > 0) {
                problems.add("freshness: " + never + " acknowledged messages never became visible in gateway.chat_messages");
            }
            failure("freshness", freshness);
            String text = String.format(Locale.US, "%s (%,d messages, poll every %s ms, %,d never visible)",
                    percentiles(freshness), freshness.path("count").asLong(),
                    number(freshness.path("pollIntervalMs").asDouble()), never);
            rows.add(new Row("freshness (201 → row in gateway.chat_messages)", text, "p99 ≤ 50 ms at 1,000/s", "—",
                    met(freshness.path("p99Ms").asDouble(Double.NaN) <= 50 && never == 0, "p99 above 50 ms", null)));
        }

        JsonNode publication = r.path("publicationLag");
        if (publication.isMissingNode()) {
            missing("publication lag", "p99 ≤ 25 ms", "latency (publication probe)");
        } else {
            failure("publication lag", publication);
            String text = String.format(Locale.US, "%s (%,d records; from the event's CloudEvent time to a consumer)",
                    percentiles(publication), publication.path("records").asLong());
            rows.add(new Row("publication lag (event → record on the topic)", text, "p99 ≤ 25 ms", "—",
                    met(publication.path("p99Ms").asDouble(Double.NaN) <= 25, "p99 above 25 ms", null)));
        }
    }

    private void catchUp(double baselineRows) {
        JsonNode meter = results.get("catch-up");
        JsonNode load = results.get("catch-up-load");
        if (load != null && load.path("errors").asLong() > 0) {
            problems.add("catch-up load: " + load.path("errors").asLong() + " records failed to send");
        }
        if (meter == null) {
            missing("catch-up", "≥ 30,000 events/s", "catch-up");
            return;
        }
        boolean caughtUp = meter.path("caughtUp").asBoolean(false);
        if (!caughtUp) {
            problems.add("catch-up: the projection did not catch up (final lag " + meter.path("finalLag").asLong()
                    + ", parked " + meter.path("finalParked").asLong() + ")");
        }
        long rate = meter.path("eventsPerSecond").asLong();
        String backlog = load == null ? "" : String.format(Locale.US, "; backlog of %,d events written at %,d/s",
                load.path("eventsProduced").asLong(), load.path("eventsPerSecond").asLong());
        // Offsets at the end while events are still parked (applied later by the drainer): say how long
        // the offsets alone would have suggested.
        String parked = meter.path("parkedAtOffsetLagZero").asLong(0) <= 0 ? ""
                : String.format(Locale.US, "; offsets at the end after %s s with %,d events still parked",
                        number(meter.path("secondsToOffsetLagZero").asDouble()), meter.path("parkedAtOffsetLagZero").asLong());
        String measured = String.format(Locale.US, "**%,d events/s** (%,d events applied in %s s, ±%s s%s%s)",
                rate, meter.path("eventsApplied").asLong(), number(meter.path("seconds").asDouble()),
                number(meter.path("resolutionSeconds").asDouble()), parked, backlog);
        Ratio ratio = Ratio.of(rate, baselineRows, "(b)");
        rows.add(new Row("catch-up (projection-service restarted on a backlog)", measured, "≥ 30,000 events/s",
                ratio.text(), met(caughtUp && rate >= 30_000, caughtUp ? "below 30,000/s" : "did not catch up", ratio)));
    }

    private void flatCost() {
        JsonNode doc = results.get("flat-cost");
        JsonNode settings = results.run().path("settings");
        String lengths = String.format(Locale.US, "%,d vs %,d", settings.path("flatShort").asLong(10),
                settings.path("flatLong").asLong(10_000));
        String target = "p50 ratio ≤ 1.1 (10 vs 10,000)";
        if (doc == null) {
            missing("flat cost", target, "flat-cost");
            return;
        }
        errors("flat-cost", doc);
        JsonNode r = doc.path("result");
        JsonNode ratio = r.path("p50Ratio");
        String measured = String.format(Locale.US, "**p50 ratio %s** at length %s (p50 %s ms at %,d, %s ms at %,d; p99 ratio %s; %d samples each)",
                ratio.isNumber() ? number(ratio.asDouble()) : "—", lengths, ms(r.path("short").path("p50Ms")),
                r.path("short").path("fromLength").asLong(), ms(r.path("long").path("p50Ms")),
                r.path("long").path("fromLength").asLong(),
                r.path("p99Ratio").isNumber() ? number(r.path("p99Ratio").asDouble()) : "—",
                r.path("samplesPerLength").asInt());
        boolean fullLength = settings.path("flatLong").asLong(10_000) >= 10_000;
        String met = !ratio.isNumber() ? "—" : ratio.asDouble() > 1.1 ? "no: ratio above 1.1"
                : fullLength ? "yes" : "yes at " + lengths + " (not run at 10,000)";
        rows.add(new Row("flat cost (PostMessage at conversation length)", measured, target, "—", met));
    }

    private void memory() {
        JsonNode doc = results.get("rss");
        JsonNode pids = results.run().path("pids");
        for (String service : List.of("command-service", "projection-service")) {
            String figure = "memory: " + service;
            String target = "peak RSS ≤ 400 MiB";
            String pid = pids.path(service).asText("");
            JsonNode sample = doc == null || pid.isEmpty() ? null : doc.path("pids").path(pid);
            if (sample == null || sample.isMissingNode() || sample.has("error")) {
                missing(figure, target, "rss");
                continue;
            }
            double hwm = sample.path("vmHwmKb").asLong() / MIB;
            String measured = String.format(Locale.US, "**%,.0f MiB** peak (VmHWM since start, read after the throughput run; RSS then %,.0f MiB)",
                    hwm, sample.path("vmRssKb").asLong() / MIB);
            rows.add(new Row(figure, measured, target, "—", met(hwm <= 400, "above 400 MiB", null)));
        }
    }

    private void baselineRows(JsonNode baselines) {
        JsonNode a = baselines.path("a");
        rows.add(new Row("raw (a): PostgreSQL, what one command does",
                a.has("tps") ? String.format(Locale.US, "%,.0f transactions/s (pgbench, %d clients, %s s: read the stream head, insert one ~300-byte event row, commit)",
                        a.path("tps").asDouble(), a.path("clients").asInt(), seconds(a.path("seconds")))
                        : "not measured", "—", "baseline", "—"));
        JsonNode b = baselines.path("b");
        rows.add(new Row("raw (b): PostgreSQL, one projection batch",
                b.has("tps") ? String.format(Locale.US, "%,.0f rows/s (pgbench, %d clients, %s s: %d-row INSERT of ~300-byte rows + counter UPDATE + progress upsert per transaction, %,.1f tx/s)",
                        b.path("tps").asDouble() * b.path("rowsPerTransaction").asDouble(), b.path("clients").asInt(),
                        seconds(b.path("seconds")), b.path("rowsPerTransaction").asInt(), b.path("tps").asDouble())
                        : "not measured", "—", "baseline", "—"));
        JsonNode c = baselines.path("c");
        rows.add(new Row("raw (c): Kafka producer",
                c.has("recordsPerSecond") ? String.format(Locale.US, "%,.0f records/s (ProducerPerformance %s, %,d records of %d bytes, acks=all, idempotent, lz4, linger 5 ms)",
                        c.path("recordsPerSecond").asDouble(), c.path("toolVersion").asText("?"), c.path("records").asLong(),
                        c.path("recordSize").asInt())
                        : "not measured", "—", "baseline", "—"));
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** A ratio to a baseline, with the 50 % threshold. */
    record Ratio(double value, double baseline, String name) {
        static Ratio of(double measured, double baseline, String name) {
            return new Ratio(baseline > 0 ? measured / baseline : Double.NaN, baseline, name);
        }

        boolean known() {
            return !Double.isNaN(value);
        }

        boolean met() {
            return known() && value >= 0.5;
        }

        String text() {
            return known() ? String.format(Locale.US, "%.0f %% of %s %,.0f/s (≥ 50 %%)", value * 100, name, baseline)
                    : name + " not measured";
        }
    }

    /** "yes", or "no: why" for the target and/or the ratio. */
    private static String met(boolean target, String why, Ratio ratio) {
        List<String> missed = new ArrayList<>();
        if (!target) {
            missed.add(why);
        }
        if (ratio != null && ratio.known() && !ratio.met()) {
            missed.add("below 50 % of " + ratio.name());
        }
        return missed.isEmpty() ? "yes" : "no: " + String.join("; ", missed);
    }

    private void missing(String figure, String target, String scenario) {
        rows.add(new Row(figure, "not measured (" + scenario + " has no result)", target, "—", "—"));
        String problem = scenario + ": no result";
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    /** Non-2xx answers or exceptions in a LoadGenerator run: its numbers are suspect. */
    private void errors(String scenario, JsonNode doc) {
        JsonNode requests = doc.path("requests");
        long errors = requests.path("errors").asLong();
        if (errors > 0) {
            problems.add(String.format(Locale.US, "%s: %,d of %,d requests failed %s", scenario, errors,
                    requests.path("sent").asLong(), requests.path("errorKinds")));
        }
    }

    /** What a connection dropped or timed out under load shows up as in the JDK's HTTP client. */
    private static final Set<String> DROPPED_CONNECTION = Set.of("IOException", "HttpTimeoutException",
            "HttpConnectTimeoutException", "ConnectException");

    private static boolean onlyDroppedConnections(JsonNode requests) {
        JsonNode kinds = requests.path("errorKinds");
        if (kinds.isEmpty()) {
            return false;
        }
        for (Iterator<String> kind = kinds.fieldNames(); kind.hasNext(); ) {
            if (!DROPPED_CONNECTION.contains(kind.next())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The open-loop latency run offers a fixed rate whatever the service manages; on a machine that answers
     * slower than offered (the generator had to wait for in-flight slots) some connections are dropped or time
     * out. That is the overload the figure measures, counted in its errors, not a fault of the run: an error
     * answer (a status) or any other exception stays a problem.
     */
    private void overloaded(JsonNode requests, long waited) {
        findings.add(String.format(Locale.US, "latency: %,d of %,d requests failed %s while the service answered "
                        + "slower than offered (%,d sends waited for an in-flight slot): connections dropped under "
                        + "overload, counted in the figure's errors", requests.path("errors").asLong(),
                requests.path("sent").asLong(), requests.path("errorKinds"), waited));
    }

    private void failure(String what, JsonNode probe) {
        if (probe.has("failure")) {
            problems.add(what + " probe failed: " + probe.path("failure").asText());
        }
    }

    private static String percentiles(JsonNode latency) {
        if (latency.path("count").asLong() == 0) {
            return "no samples";
        }
        return String.format(Locale.US, "p50 %s / **p99 %s** / p99.9 %s ms (max %s)", ms(latency.path("p50Ms")),
                ms(latency.path("p99Ms")), ms(latency.path("p999Ms")), ms(latency.path("maxMs")));
    }

    /** Milliseconds with the precision that matters: 0.84, 12.3, 154. */
    static String ms(JsonNode value) {
        return value.isNumber() ? number(value.asDouble()) : "—";
    }

    /** Whole seconds without decimals (10, not 10.0); others as {@link #number}. */
    static String seconds(JsonNode value) {
        double v = value.asDouble(Double.NaN);
        return v == Math.rint(v) ? String.format(Locale.US, "%,.0f", v) : number(v);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.US, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.US, "%.1f", v);
        }
        return String.format(Locale.US, "%.2f", v);
    }
}
