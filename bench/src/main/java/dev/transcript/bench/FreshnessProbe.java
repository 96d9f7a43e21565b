package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-your-writes distance: from the 201 of a PostMessage to its row in gateway.chat_messages. A poller
 * asks for the pending ids every few milliseconds; a row found by a query is counted as visible at the
 * moment that query was issued (its snapshot), so the figure is exact to within one poll interval plus
 * the query's own time. The polling itself is load on PostgreSQL: keep the interval a few ms, not less.
 */
final class FreshnessProbe implements AutoCloseable {

    private record Ack(UUID messageId, long ackNanos) {
    }

    /** Sized for the oldest pending ids only: a falling-behind projection must not make each poll huge. */
    private static final int MAX_IDS_PER_POLL = 2000;

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Map<UUID, Long> pending = new LinkedHashMap<>(); // poller thread only, oldest first
    private final Histogram micros = Report.microsHistogram();
    private final ReadModel db;
    private final long intervalNanos;
    private final Thread poller;
    private volatile boolean loadRunning = true;
    private volatile long drainDeadline = Long.MAX_VALUE;
    private volatile Exception failure;
    private long polls;
    private long pollNanos;

    FreshnessProbe(ReadModel.Login login, Duration interval) throws Exception {
        this.db = new ReadModel(login);
        this.intervalNanos = interval.toNanos();
        this.poller = Thread.ofPlatform().name("freshness-poller").daemon().start(this::poll);
    }

    /** Called on the HTTP thread that received the 201. */
    void acked(UUID messageId, long ackNanos) {
        acks.add(new Ack(messageId, ackNanos));
    }

    int pending() {
        return acks.size() + pending.size(); // racy read of the map: for the progress line only
    }

    private void poll() {
        try {
            while (loadRunning || (!(acks.isEmpty() && pending.isEmpty()) && System.nanoTime() < drainDeadline)) {
                for (Ack ack; (ack = acks.poll()) != null; ) {
                    pending.put(ack.messageId(), ack.ackNanos());
                }
                if (!pending.isEmpty()) {
                    List<UUID> ids = new ArrayList<>(Math.min(pending.size(), MAX_IDS_PER_POLL));
                    Iterator<UUID> oldest = pending.keySet().iterator();
                    while (oldest.hasNext() && ids.size() < MAX_IDS_PER_POLL) {
                        ids.add(oldest.next());
                    }
                    long issued = System.nanoTime(); // after every id in the batch was acknowledged
                    List<UUID> visible = db.visible(ids);
                    polls++;
                    pollNanos += System.nanoTime() - issued;
                    for (UUID id : visible) {
                        long waited = (issued - pending.remove(id)) / 1000;
                        micros.recordValue(Math.min(Math.max(0, waited), micros.getHighestTrackableValue()));
                    }
                }
                LockSupport.parkNanos(intervalNanos);
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Stops taking new ids; waits up to {@code drain} for the pending ones to show up. */
    ObjectNode finish(Duration drain) throws Exception {
        drainDeadline = System.nanoTime() + drain.toNanos();
        loadRunning = false;
        poller.join();
        ObjectNode node = Report.latency(micros);
        node.put("neverVisible", acks.size() + pending.size());
        node.put("pollIntervalMs", intervalNanos / 1e6);
        node.put("polls", polls);
        node.put("meanPollQueryMs", polls == 0 ? 0 : Math.round(pollNanos / 1e3 / polls) / 1000.0);
        if (failure != null) {
            node.put("failure", failure.toString());
        }
        return node;
    }

    @Override
    public void close() throws Exception {
        loadRunning = false;
        drainDeadline = 0;
        poller.join(5000);
        db.close();
    }
}
