package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed loop: N clients each send, wait for the answer, send again. Measures the service's capacity
 * (commands/s), not latency under a given load: a closed loop slows down with the service, so its
 * latencies hide queueing (that is the latency scenario's job). Then checks that the projection kept up.
 */
final class ThroughputScenario {

    private ThroughputScenario() {
    }

    static ObjectNode run(CommandApi api, List<CommandApi.Session> sessions, int clients, Duration warmup,
                          Duration duration, ReadModel.Login login, Duration catchUpTimeout, Progress progress)
            throws Exception {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        LongAdder posted = new LongAdder();          // every 201, warm-up included: rows the projection owes
        LongAdder measuredOk = new LongAdder();
        List<Histogram> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        if (sessions.size() < clients) {
            System.err.printf("note: %d clients share %d sessions: commands on one session queue behind each other%n",
                    clients, sessions.size());
        }
        for (int c = 0; c < clients; c++) {
            // Disjoint sessions per client where possible, so the run measures throughput, not lock contention.
            List<UUID> mine = new ArrayList<>();
            for (int s = c % sessions.size(); s < sessions.size(); s += clients) {
                mine.add(sessions.get(s).sessionId());
            }
            Histogram histogram = Report.microsHistogram();
            perClient.add(histogram);
            threads.add(Thread.ofPlatform().name("client-" + c).start(() ->
                    loop(api, mine, end, measureFrom, histogram, posted, measuredOk, progress)));
        }

        ReadModel db = login.disabled() ? null : new ReadModel(login);
        List<UUID> conversations = sessions.stream().map(CommandApi.Session::conversationId).toList();
        AtomicLong maxBacklog = new AtomicLong();
        if (db != null) {
            // Sampled once a second on the progress line: a backlog that grows during the run means the
            // projection does not keep up, whatever the catch-up at the end says.
            progress.extra(() -> {
                try {
                    long backlog = posted.sum() - db.countMessages(conversations);
                    if (System.nanoTime() >= measureFrom) {
                        maxBacklog.accumulateAndGet(backlog, Math::max);
                    }
                    return "projection-backlog=" + backlog;
                } catch (Exception e) {
                    return "projection-backlog=? (" + e.getMessage() + ")";
                }
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        progress.extra(() -> db == null ? "" : "load done; waiting for the projection to catch up");
        long loadEnded = System.nanoTime();

        Histogram all = Report.microsHistogram();
        perClient.forEach(all::add);
        double seconds = duration.toNanos() / 1e9;
        ObjectNode result = Report.object();
        result.put("clients", clients);
        result.put("sessions", sessions.size());
        result.put("measuredSeconds", seconds);
        result.put("measuredOk", measuredOk.sum());
        result.put("commandsPerSecond", Math.round(measuredOk.sum() / seconds));
        result.set("latency", Report.latency(all));
        if (db != null) {
            result.set("projection", catchUp(db, conversations, posted.sum(), loadEnded, catchUpTimeout, maxBacklog));
            db.close();
        }
        return result;
    }

    private static void loop(CommandApi api, List<UUID> sessions, long end, long measureFrom, Histogram histogram,
                             LongAdder posted, LongAdder measuredOk, Progress progress) {
        int next = 0;
        while (System.nanoTime() < end) {
            HttpRequest request = api.postMessageRequest(sessions.get(next));
            next = (next + 1) % sessions.size();
            long sentAt = System.nanoTime();
            progress.sent.increment();
            try {
                HttpResponse<String> response = api.send(request);
                long micros = (System.nanoTime() - sentAt) / 1000;
                if (CommandApi.ok(response)) {
                    progress.ok.increment();
                    posted.increment();
                    if (sentAt >= measureFrom && sentAt < end) {
                        measuredOk.increment();
                        histogram.recordValue(Math.min(micros, histogram.getHighestTrackableValue()));
                    }
                } else {
                    progress.error(String.valueOf(response.statusCode()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                progress.error(e.getClass().getSimpleName());
            }
        }
    }

    /** How far behind the projection was when the load stopped, and how long until it had every row. */
    private static ObjectNode catchUp(ReadModel db, List<UUID> conversations, long posted, long loadEnded,
                                      Duration timeout, AtomicLong maxBacklog) throws Exception {
        long visibleAtEnd = db.countMessages(conversations);
        long visible = visibleAtEnd;
        long deadline = loadEnded + timeout.toNanos();
        while (visible < posted && System.nanoTime() < deadline) {
            Thread.sleep(20);
            visible = db.countMessages(conversations);
        }
        long caughtUpAt = System.nanoTime();
        ObjectNode node = Report.object();
        node.put("posted", posted);
        node.put("visibleAtLoadEnd", visibleAtEnd);
        node.put("backlogAtLoadEnd", posted - visibleAtEnd);
        node.put("maxBacklogDuringRun", maxBacklog.get());
        node.put("caughtUp", visible >= posted);
        node.put("visible", visible);
        // Time from the last answer to the last row: ~0 when the projection kept up with the load.
        node.put("catchUpMs", visible >= posted ? (caughtUpAt - loadEnded) / 1_000_000 : -1);
        return node;
    }
}
