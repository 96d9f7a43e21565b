package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Request counters plus a once-a-second line on stderr. A benchmark that runs for minutes must show
 * that it is alive and whether errors appear, without waiting for the final JSON.
 */
final class Progress implements AutoCloseable {

    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Errors by kind ("409", "503", "HttpTimeoutException"): a 503 and a refused connection mean different things. */
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    private final String label;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private volatile Supplier<String> extra = () -> "";
    private long lastOk;
    private long lastTick = startNanos;

    Progress(String label) {
        this.label = label;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    /** Adds e.g. "inflight=12 pending=40" to each line. */
    void extra(Supplier<String> extra) {
        this.extra = extra;
    }

    void error(String kind) {
        errors.increment();
        errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    ObjectNode toJson() {
        ObjectNode node = Report.object();
        node.put("sent", sent.sum());
        node.put("ok", ok.sum());
        node.put("errors", errors.sum());
        ObjectNode kinds = node.putObject("errorKinds");
        new TreeMap<>(errorKinds).forEach((kind, count) -> kinds.put(kind, count.sum()));
        return node;
    }

    private synchronized void print() {
        long now = System.nanoTime();
        long okNow = ok.sum();
        double rate = (okNow - lastOk) / ((now - lastTick) / 1e9);
        lastOk = okNow;
        lastTick = now;
        String more;
        try {
            more = extra.get();
        } catch (RuntimeException e) { // a failing probe must not stop the ticker for the rest of the run
            more = "(" + e.getClass().getSimpleName() + ")";
        }
        System.err.printf("[%s %5.0fs] sent=%d ok=%d errors=%d rate=%.0f/s %s%n", label,
                (now - startNanos) / 1e9, sent.sum(), okNow, errors.sum(), rate, more);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
