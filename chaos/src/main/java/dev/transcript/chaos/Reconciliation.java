package dev.transcript.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides from recorded data what a chaos run lost, doubled, left out of order or miscounted: acknowledged
 * commands against the event store, the store against the topic, acknowledgements against every read model.
 * Pure: everything it needs is handed to it, so each rule is tested on small hand-built inputs.
 */
final class Reconciliation {

    static final int MAX_FINDINGS = 5_000;

    private final List<Phase> phases;
    private final Map<String, long[]> counts = new LinkedHashMap<>(); // phase -> acked, lost, doubled, gaps, wrong
    private final List<String> findings = new ArrayList<>();
    private long findingCount;

    private Reconciliation(List<Phase> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("at least one phase");
        }
        this.phases = phases;
        phases.forEach(p -> counts.put(p.name(), new long[5]));
    }

    static Verdict reconcile(List<Phase> phases, List<Ack> acks, List<StoredEvent> stored, List<TopicEvent> topic,
                             List<ReadModelIds> readModels, List<Measure> measures) {
        Reconciliation r = new Reconciliation(phases);
        acks.forEach(a -> r.count(a.at(), 0));
        r.lostAcknowledged(acks, stored, topic, readModels);
        r.unpublished(stored, topic);
        r.doubled(acks, stored);
        r.conflicting(stored, topic);
        r.gaps(acks, stored, topic);
        r.wrongCounts(acks, measures);
        return r.verdict(topicDuplicates(topic));
    }

    // --- lost ----------------------------------------------------------------------------------------

    /** Each acknowledged command is lost once, however many places miss it; the finding names them all. */
    private void lostAcknowledged(List<Ack> acks, List<StoredEvent> stored, List<TopicEvent> topic,
                                  List<ReadModelIds> readModels) {
        Map<String, StoredEvent> byEntity = new HashMap<>();
        stored.stream().filter(e -> e.entityId() != null).forEach(e -> byEntity.putIfAbsent(key(e.type(), e.entityId()), e));
        Set<String> published = topic.stream().map(TopicEvent::eventId).collect(Collectors.toSet());
        for (Ack ack : acks) {
            List<String> missing = new ArrayList<>();
            StoredEvent event = byEntity.get(key(ack.kind().eventType, ack.entityId()));
            if (event == null) {
                missing.add("event store");
            } else if (!published.contains(event.eventId())) {
                missing.add("topic");
            }
            readModels.stream()
                    .filter(rm -> rm.kind() == ack.kind() && !rm.ids().contains(ack.entityId()))
                    .forEach(rm -> missing.add(rm.readModel()));
            if (!missing.isEmpty()) {
                found(ack.at(), 1, "lost: %s %s (stream %s) acknowledged at %s, missing from %s",
                        ack.kind(), ack.entityId(), ack.aggregateId(), ack.at(), String.join(", ", missing));
            }
        }
    }

    /** Stored events of any type (also those no acknowledgement names) must all reach the topic. */
    private void unpublished(List<StoredEvent> stored, List<TopicEvent> topic) {
        Set<String> published = topic.stream().map(TopicEvent::eventId).collect(Collectors.toSet());
        stored.stream()
                .filter(e -> e.entityId() == null && !published.contains(e.eventId()))
                .forEach(e -> found(e.at(), 1, "lost: stored %s %s (stream %s, sequence %d) never reached the topic",
                        e.type(), e.eventId(), e.aggregateId(), e.sequence()));
    }

    // --- doubled -------------------------------------------------------------------------------------

    private void doubled(List<Ack> acks, List<StoredEvent> stored) {
        // One command (its Idempotency-Key) stored as more than one event.
        grouped(stored.stream().filter(e -> e.commandKey() != null).toList(), StoredEvent::commandKey)
                .forEach((commandKey, events) -> events.stream().skip(1).forEach(e -> found(e.at(), 2,
                        "doubled: command %s stored %d times (stream %s, sequences %s)", commandKey, events.size(),
                        e.aggregateId(), sequences(events))));
        // One message number given to two stored messages of a session.
        grouped(stored.stream().filter(e -> e.type().equals(Kind.MESSAGE.eventType)).toList(),
                e -> e.aggregateId() + "#" + e.messageNumber())
                .forEach((k, events) -> events.stream().skip(1).forEach(e -> found(e.at(), 2,
                        "doubled: message number %d stored %d times in stream %s (sequences %s)", e.messageNumber(),
                        events.size(), e.aggregateId(), sequences(events))));
        // One message number acknowledged for two messages: a client was told the same position twice.
        grouped(acks.stream().filter(a -> a.kind() == Kind.MESSAGE).toList(),
                a -> a.aggregateId() + "#" + a.messageNumber())
                .forEach((k, same) -> same.stream().skip(1).forEach(a -> found(a.at(), 2,
                        "doubled: message number %d acknowledged %d times in session %s", a.messageNumber(),
                        same.size(), a.aggregateId())));
    }

    /**
     * Two different events at one position of a stream on the topic: an append lost by the store was published
     * first, and the stream reused its sequence. A read model that applied the first skips the second as a
     * redelivery, so this is charged as doubled even when every read model looks complete.
     */
    private void conflicting(List<StoredEvent> stored, List<TopicEvent> topic) {
        Map<String, Instant> storedAt = new HashMap<>();
        stored.forEach(e -> storedAt.put(e.aggregateId() + "#" + e.sequence(), e.at()));
        grouped(topic, e -> e.aggregateId() + "#" + e.sequence()).forEach((position, events) -> {
            List<String> ids = events.stream().map(TopicEvent::eventId).distinct().toList();
            if (ids.size() > 1) {
                TopicEvent first = events.getFirst();
                found(storedAt.getOrDefault(position, phases.getLast().from()), 2,
                        "doubled: sequence %d of stream %s is %d different events on the topic (%s)",
                        first.sequence(), first.aggregateId(), ids.size(), String.join(", ", ids));
            }
        });
    }

    // --- gaps ----------------------------------------------------------------------------------------

    private void gaps(List<Ack> acks, List<StoredEvent> stored, List<TopicEvent> topic) {
        Map<String, Instant> timeOfEvent = new HashMap<>();
        stored.forEach(e -> timeOfEvent.put(e.eventId(), e.at()));
        grouped(stored, StoredEvent::aggregateId).forEach((stream, events) -> {
            Map<Long, Instant> at = new HashMap<>();
            events.forEach(e -> at.put(e.sequence(), e.at()));
            missing(at.keySet(), 0).forEach(seq -> found(after(at, seq), 3,
                    "gap: sequence %d of stream %s is missing from the event store", seq, stream));
        });
        Map<String, Map<Long, Instant>> storedAt = new HashMap<>();
        stored.forEach(e -> storedAt.computeIfAbsent(e.aggregateId(), k -> new HashMap<>()).put(e.sequence(), e.at()));
        grouped(topic, TopicEvent::aggregateId).forEach((stream, events) -> {
            Set<Long> sequences = events.stream().map(TopicEvent::sequence).collect(Collectors.toSet());
            Map<Long, Instant> at = storedAt.getOrDefault(stream, Map.of());
            missing(sequences, 0).forEach(seq -> found(after(at, seq), 3,
                    "gap: sequence %d of stream %s is missing from the topic", seq, stream));
        });
        grouped(acks.stream().filter(a -> a.kind() == Kind.MESSAGE).toList(), Ack::aggregateId)
                .forEach((session, messages) -> {
                    Map<Long, Instant> at = new HashMap<>();
                    messages.forEach(a -> at.putIfAbsent((long) a.messageNumber(), a.at()));
                    missing(at.keySet(), 1).forEach(n -> found(after(at, n), 3,
                            "gap: message number %d of session %s was never acknowledged", n, session));
                });
    }

    /** Numbers from {@code first} up to the highest present that are absent. */
    static List<Long> missing(Set<Long> present, long first) {
        long max = present.stream().mapToLong(Long::longValue).max().orElse(first - 1);
        List<Long> absent = new ArrayList<>();
        for (long n = first; n <= max; n++) {
            if (!present.contains(n)) {
                absent.add(n);
            }
        }
        return absent;
    }

    /** When a missing number was noticed: the time of the next one present. */
    private Instant after(Map<Long, Instant> at, long missing) {
        return new TreeSet<>(at.keySet()).tailSet(missing).stream().findFirst().map(at::get)
                .orElse(phases.getLast().from());
    }

    // --- wrong counts --------------------------------------------------------------------------------

    private void wrongCounts(List<Ack> acks, List<Measure> measures) {
        Map<String, long[]> expected = new HashMap<>(); // session -> rows, highest number, tokens
        Map<String, Instant> lastAck = new HashMap<>();
        for (Ack a : acks) {
            if (a.kind() == Kind.MESSAGE || a.kind() == Kind.TOKEN_USAGE) {
                long[] e = expected.computeIfAbsent(a.aggregateId(), k -> new long[3]);
                if (a.kind() == Kind.MESSAGE) {
                    e[0]++;
                    e[1] = Math.max(e[1], a.messageNumber());
                } else {
                    e[2] += a.tokens();
                }
                lastAck.merge(a.aggregateId(), a.at(), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        for (Measure m : measures) {
            long[] e = expected.get(m.sessionId());
            long want = e == null ? 0 : e[m.what().ordinal()];
            if (m.value() != want) {
                found(lastAck.getOrDefault(m.sessionId(), phases.getLast().from()), 4,
                        "wrong count: %s %s of session %s is %d, acknowledged %d", m.readModel(), m.what(),
                        m.sessionId(), m.value(), want);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    static long topicDuplicates(List<TopicEvent> topic) {
        Set<String> seen = new HashSet<>();
        return topic.stream().filter(e -> !seen.add(e.eventId())).count();
    }

    private void found(Instant at, int column, String format, Object... args) {
        count(at, column);
        findingCount++;
        if (findings.size() < MAX_FINDINGS) {
            findings.add("[" + phaseOf(at).name() + "] " + format.formatted(args));
        }
    }

    private void count(Instant at, int column) {
        counts.get(phaseOf(at).name())[column]++;
    }

    private Phase phaseOf(Instant at) {
        if (at.isBefore(phases.getFirst().from())) {
            return phases.getFirst();
        }
        return phases.stream().filter(p -> p.contains(at)).findFirst().orElse(phases.getLast());
    }

    private Verdict verdict(long topicDuplicates) {
        List<Verdict.Row> rows = new ArrayList<>();
        long[] sum = new long[5];
        for (Phase p : phases) {
            long[] c = counts.get(p.name());
            for (int i = 0; i < sum.length; i++) {
                sum[i] += c[i];
            }
            rows.add(new Verdict.Row(p.name(), c[0], c[1], c[2], c[3], c[4],
                    p.commandsRecoveredSeconds(), p.readModelsRecoveredSeconds()));
        }
        Verdict.Row total = new Verdict.Row("total", sum[0], sum[1], sum[2], sum[3], sum[4], null, null);
        if (findingCount > findings.size()) {
            findings.add("... and " + (findingCount - findings.size()) + " more");
        }
        return new Verdict(rows, total, topicDuplicates, findings);
    }

    private static String key(String type, String id) {
        return type + "/" + id;
    }

    private static String sequences(List<StoredEvent> events) {
        return events.stream().map(e -> Long.toString(e.sequence())).collect(Collectors.joining(", "));
    }

    private static <T> Map<String, List<T>> grouped(List<T> items, Function<T, String> by) {
        Map<String, List<T>> groups = new LinkedHashMap<>();
        items.forEach(i -> groups.computeIfAbsent(by.apply(i), k -> new ArrayList<>()).add(i));
        return groups;
    }
}
