package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open loop at a fixed rate: request i is due at start + i/rate whatever happened to earlier ones, and
 * its latency is measured from that intended time. A stalled service therefore shows up as the queue it
 * would build for real users, instead of silently slowing the load (coordinated omission).
 */
final class LatencyScenario {

    private LatencyScenario() {
    }

    static ObjectNode run(CommandApi api, List<CommandApi.Session> sessions, int rate, int maxInFlight,
                          Duration warmup, Duration duration, FreshnessProbe freshness,
                          PublicationLagProbe publication, Progress progress) throws Exception {
        Recorder recorder = new Recorder(Report.microsHistogram().getHighestTrackableValue(), 3);
        Histogram total = Report.microsHistogram();
        Semaphore inFlight = new Semaphore(maxInFlight);
        LongAdder measuredErrors = new LongAdder(); // not in the histogram: they have no meaningful latency
        progress.extra(() -> {
            // Drained once a second: the line shows this second's tail, the total keeps everything.
            Histogram second;
            synchronized (total) {
                second = recorder.getIntervalHistogram();
                total.add(second);
            }
            String tail = second.getTotalCount() == 0 ? "p99(1s)=-" // warm-up: not recorded
                    : String.format("p99(1s)=%.1fms", second.getValueAtPercentile(99) / 1000.0);
            return String.format("%s inflight=%d%s", tail,
                    maxInFlight - inFlight.availablePermits(),
                    freshness == null ? "" : " freshness-pending=" + freshness.pending());
        });

        long start = System.nanoTime() + 10_000_000; // 10 ms to let the first park settle
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        if (publication != null) {
            publication.measureFrom(Instant.now().plusNanos(measureFrom - System.nanoTime()));
        }
        long waitedForPermit = 0;
        for (long i = 0; ; i++) {
            long intended = start + i * 1_000_000_000L / rate; // no rounding drift at rates like 3000/s
            if (intended >= end) {
                break;
            }
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            // Bounded in-flight requests keep a stalled service from exhausting sockets; the wait for a
            // permit is still counted, because latency runs from the intended time.
            if (!inFlight.tryAcquire()) {
                waitedForPermit++;
                inFlight.acquire();
            }
            boolean measured = intended >= measureFrom;
            HttpRequest request = api.postMessageRequest(sessions.get((int) (i % sessions.size())).sessionId());
            progress.sent.increment();
            api.sendAsync(request).whenComplete((response, failure) -> {
                long answered = System.nanoTime();
                inFlight.release();
                complete(response, failure, intended, answered, measured, recorder, measuredErrors, freshness,
                        progress);
            });
        }
        // Let the last requests finish (they time out on their own after the request timeout).
        if (!inFlight.tryAcquire(maxInFlight, 2, TimeUnit.MINUTES)) {
            System.err.println("warning: requests still in flight after 2 minutes");
        }
        progress.extra(() -> "");
        synchronized (total) {
            total.add(recorder.getIntervalHistogram());
        }

        ObjectNode result = Report.object();
        result.put("targetRate", rate);
        result.put("measuredSeconds", duration.toNanos() / 1e9);
        result.put("okRate", Math.round(total.getTotalCount() / (duration.toNanos() / 1e9)));
        result.put("measuredErrors", measuredErrors.sum());
        result.put("sendsThatWaitedForAnInFlightSlot", waitedForPermit);
        result.put("latencyFrom", "intended send time");
        result.set("latency", Report.latency(total));
        return result;
    }

    private static void complete(HttpResponse<String> response, Throwable failure, long intended, long answered,
                                 boolean measured, Recorder recorder, LongAdder measuredErrors,
                                 FreshnessProbe freshness, Progress progress) {
        if (failure != null || !CommandApi.ok(response)) {
            if (measured) {
                measuredErrors.increment();
            }
            Throwable cause = failure == null ? null : failure.getCause() != null ? failure.getCause() : failure;
            progress.error(cause == null ? String.valueOf(response.statusCode()) : cause.getClass().getSimpleName());
            return;
        }
        progress.ok.increment();
        if (!measured) {
            return;
        }
        recorder.recordValue(Math.min((answered - intended) / 1000, 3_600_000_000L));
        if (freshness != null) {
            try {
                freshness.acked(CommandApi.messageIdOf(response), answered);
            } catch (Exception e) {
                progress.error("unreadable 201 body");
            }
        }
    }
}
