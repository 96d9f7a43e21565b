package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Is a command's cost independent of the conversation's length? The session aggregate keeps a count,
 * not the messages, and is snapshotted, so PostMessage at message 10,000 should cost what it costs at
 * message 10. Sequential samples at both lengths, on one session, with the service warmed up first on
 * another session so that JIT warm-up does not flatter the long conversation.
 */
final class FlatCostScenario {

    private FlatCostScenario() {
    }

    static ObjectNode run(CommandApi api, CommandApi.Session warmupSession, CommandApi.Session session,
                          Duration warmup, int shortLength, int longLength, int samples, int growConcurrency,
                          Progress progress) throws Exception {
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        while (System.nanoTime() < warmupEnd) {
            post(api, warmupSession.sessionId(), progress, null);
        }
        AtomicInteger length = new AtomicInteger();
        progress.extra(() -> "length=" + length.get());

        grow(api, session.sessionId(), length, shortLength, 1, progress);
        ObjectNode atShort = sample(api, session.sessionId(), length, samples, progress);

        long growStart = System.nanoTime();
        int before = length.get();
        grow(api, session.sessionId(), length, longLength, growConcurrency, progress);
        double growSeconds = (System.nanoTime() - growStart) / 1e9;
        ObjectNode atLong = sample(api, session.sessionId(), length, samples, progress);
        progress.extra(() -> "");

        ObjectNode result = Report.object();
        result.put("samplesPerLength", samples);
        result.set("short", atShort);
        result.set("long", atLong);
        result.putPOJO("p50Ratio", ratio(atLong, atShort, "p50Ms"));
        result.putPOJO("p99Ratio", ratio(atLong, atShort, "p99Ms"));
        result.put("growCommandsPerSecond", Math.round((length.get() - before) / growSeconds));
        return result;
    }

    /** Posts until the conversation has at least {@code target} messages, with {@code concurrency} posters. */
    private static void grow(CommandApi api, UUID sessionId, AtomicInteger length, int target, int concurrency,
                             Progress progress) throws InterruptedException {
        List<Thread> posters = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            posters.add(Thread.ofPlatform().name("grow-" + i).start(() -> {
                // Concurrent commands on one aggregate queue on its lock: more than a few only adds waiting.
                int failedInARow = 0;
                while (length.get() < target && failedInARow < 100 && !Thread.currentThread().isInterrupted()) {
                    failedInARow = post(api, sessionId, progress, length) ? 0 : failedInARow + 1;
                }
                if (failedInARow >= 100) {
                    System.err.println("flat-cost: 100 failures in a row; giving up growing the conversation");
                }
            }));
        }
        for (Thread poster : posters) {
            poster.join();
        }
    }

    /** {@code samples} sequential PostMessage latencies, from the conversation's current length on. */
    private static ObjectNode sample(CommandApi api, UUID sessionId, AtomicInteger length, int samples,
                                     Progress progress) {
        Histogram micros = Report.microsHistogram();
        int from = length.get();
        for (int i = 0; i < samples; i++) {
            long sent = System.nanoTime();
            if (post(api, sessionId, progress, length)) {
                micros.recordValue(Math.min((System.nanoTime() - sent) / 1000, micros.getHighestTrackableValue()));
            }
        }
        ObjectNode node = Report.latency(micros);
        node.put("fromLength", from);
        node.put("toLength", length.get());
        return node;
    }

    /** One PostMessage; on success, raises {@code length} to the number the service gave the message. */
    private static boolean post(CommandApi api, UUID sessionId, Progress progress, AtomicInteger length) {
        progress.sent.increment();
        try {
            HttpResponse<String> response = api.send(api.postMessageRequest(sessionId));
            if (!CommandApi.ok(response)) {
                progress.error(String.valueOf(response.statusCode()));
                return false;
            }
            progress.ok.increment();
            if (length != null) {
                int number = CommandApi.messageNumberOf(response);
                length.accumulateAndGet(number, Math::max);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            progress.error(e.getClass().getSimpleName());
            return false;
        }
    }

    /** null when either side has no samples: JSON has no NaN. */
    private static Double ratio(ObjectNode numerator, ObjectNode denominator, String field) {
        if (!numerator.has(field) || !denominator.has(field) || denominator.get(field).asDouble() == 0) {
            return null;
        }
        return Math.round(numerator.get(field).asDouble() / denominator.get(field).asDouble() * 1000) / 1000.0;
    }
}
