package dev.transcript.chaos;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationTest {

    private static final Instant T0 = Instant.parse("2026-12-08T01:00:00Z");
    private static final List<Phase> PHASES = List.of(
            new Phase("load", T0, T0.plusSeconds(10), null, null),
            new Phase("kill postgres", T0.plusSeconds(10), T0.plusSeconds(20), 3.5, 7.0));

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    /** One session "s" with messages m1..m3 numbered 1..3, stored at sequences 0 (start) .. 3, all published. */
    private final List<Ack> acks = new ArrayList<>(List.of(
            new Ack(Kind.SESSION, "s", "s", 0, 0, at(1)),
            new Ack(Kind.MESSAGE, "s", "m1", 1, 0, at(2)),
            new Ack(Kind.MESSAGE, "s", "m2", 2, 0, at(3)),
            new Ack(Kind.MESSAGE, "s", "m3", 3, 0, at(12))));
    private final List<StoredEvent> stored = new ArrayList<>(List.of(
            new StoredEvent("s", 0, "e0", "SessionStarted", "s", 0, null, at(1)),
            new StoredEvent("s", 1, "e1", "MessagePosted", "m1", 1, "k1", at(2)),
            new StoredEvent("s", 2, "e2", "MessagePosted", "m2", 2, "k2", at(3)),
            new StoredEvent("s", 3, "e3", "MessagePosted", "m3", 3, "k3", at(12))));
    private final List<TopicEvent> topic = new ArrayList<>(List.of(
            new TopicEvent("s", 0, "e0"), new TopicEvent("s", 1, "e1"),
            new TopicEvent("s", 2, "e2"), new TopicEvent("s", 3, "e3")));
    private final List<ReadModelIds> readModels = new ArrayList<>(List.of(
            new ReadModelIds("chat", Kind.MESSAGE, Set.of("m1", "m2", "m3"))));
    private final List<Measure> measures = new ArrayList<>(List.of(
            new Measure("gateway", Measure.What.MESSAGES_COUNT, "s", 3),
            new Measure("gateway", Measure.What.MESSAGE_ROWS, "s", 3)));

    private Verdict reconcile() {
        return Reconciliation.reconcile(PHASES, acks, stored, topic, readModels, measures);
    }

    @Test
    void everythingAcknowledgedStoredPublishedAndProjectedIsClean() {
        Verdict verdict = reconcile();

        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.findings()).isEmpty();
        assertThat(verdict.rows()).extracting(Verdict.Row::acknowledged).containsExactly(3L, 1L);
        assertThat(verdict.rows().get(1).commandsRecoveredSeconds()).isEqualTo(3.5);
    }

    @Test
    void anAcknowledgedMessageMissingFromTheStoreIsLostInThePhaseOfItsAcknowledgement() {
        stored.removeLast();
        topic.removeLast();

        Verdict verdict = reconcile();

        assertThat(verdict.clean()).isFalse();
        assertThat(verdict.rows()).extracting(Verdict.Row::lost).containsExactly(0L, 1L);
        assertThat(verdict.findings()).singleElement().asString()
                .startsWith("[kill postgres] lost: MESSAGE m3").contains("event store");
    }

    @Test
    void aMessageMissingFromSeveralPlacesIsLostOnceNamingEachPlace() {
        topic.removeLast();
        readModels.set(0, new ReadModelIds("chat", Kind.MESSAGE, Set.of("m1", "m2")));

        Verdict verdict = reconcile();

        assertThat(verdict.total().lost()).isEqualTo(1);
        assertThat(verdict.findings()).singleElement().asString().contains("missing from topic, chat");
    }

    @Test
    void aStoredEventNoAcknowledgementNamesMustStillReachTheTopic() {
        stored.add(new StoredEvent("s", 4, "e4", "ContainerStarted", null, 0, null, at(13)));

        Verdict verdict = reconcile();

        assertThat(verdict.total().lost()).isEqualTo(1);
        assertThat(verdict.findings().getFirst()).contains("ContainerStarted e4").contains("never reached the topic");
    }

    /** The finding 4: a lost append, then a cache that numbered on past it: 2, 2, and a hole. */
    @Test
    void aMessageNumberGivenTwiceIsDoubledAndAHoleInTheStreamIsAGap() {
        stored.set(2, new StoredEvent("s", 3, "e2", "MessagePosted", "m2", 2, "k2", at(3)));
        stored.set(3, new StoredEvent("s", 4, "e3", "MessagePosted", "m3", 2, "k3", at(12)));
        topic.set(2, new TopicEvent("s", 3, "e2"));
        topic.set(3, new TopicEvent("s", 4, "e3"));
        acks.set(3, new Ack(Kind.MESSAGE, "s", "m3", 2, 0, at(12)));
        measures.set(0, new Measure("gateway", Measure.What.MESSAGES_COUNT, "s", 2));

        Verdict verdict = reconcile();

        // Stored twice with number 2, acknowledged twice with number 2.
        assertThat(verdict.total().doubled()).isEqualTo(2);
        // Sequence 2 missing in the store and on the topic.
        assertThat(verdict.total().gaps()).isEqualTo(2);
        assertThat(verdict.findings()).anyMatch(f -> f.contains("sequence 2 of stream s is missing from the event store"))
                .anyMatch(f -> f.contains("sequence 2 of stream s is missing from the topic"));
        assertThat(verdict.total().wrongCounts()).isZero();
    }

    @Test
    void oneCommandStoredTwiceIsDoubled() {
        stored.add(new StoredEvent("s", 4, "e4", "MessagePosted", "m4", 4, "k3", at(13)));
        topic.add(new TopicEvent("s", 4, "e4"));

        Verdict verdict = reconcile();

        assertThat(verdict.total().doubled()).isEqualTo(1);
        assertThat(verdict.findings()).singleElement().asString().contains("command k3 stored 2 times");
    }

    @Test
    void aCountThatDiffersFromTheAcknowledgementsIsWrongAndChargedToTheSessionsLastPhase() {
        measures.add(new Measure("chat", Measure.What.MESSAGES_COUNT, "s", 4));
        measures.add(new Measure("gateway", Measure.What.TOKENS, "s", 10));
        acks.add(new Ack(Kind.TOKEN_USAGE, "s", "u1", 0, 12, at(4)));
        readModels.add(new ReadModelIds("gateway", Kind.TOKEN_USAGE, Set.of("u1")));
        stored.add(new StoredEvent("s", 4, "e4", "TokenUsageRecorded", "u1", 0, null, at(4)));
        topic.add(new TopicEvent("s", 4, "e4"));

        Verdict verdict = reconcile();

        assertThat(verdict.total().wrongCounts()).isEqualTo(2);
        assertThat(verdict.rows().get(1).wrongCounts()).isEqualTo(2);
        assertThat(verdict.findings()).anyMatch(f -> f.contains("chat MESSAGES_COUNT of session s is 4, acknowledged 3"))
                .anyMatch(f -> f.contains("gateway TOKENS of session s is 10, acknowledged 12"));
    }

    /** Published, then lost by the store on a crash; the stream reused the sequence for the next command. */
    @Test
    void twoDifferentEventsAtOnePositionOnTheTopicAreDoubled() {
        topic.add(new TopicEvent("s", 3, "e3-lost"));

        Verdict verdict = reconcile();

        assertThat(verdict.total().doubled()).isEqualTo(1);
        assertThat(verdict.rows().get(1).doubled()).isEqualTo(1);
        assertThat(verdict.findings()).singleElement().asString()
                .isEqualTo("[kill postgres] doubled: sequence 3 of stream s is 2 different events on the topic (e3, e3-lost)");
    }

    @Test
    void redeliveriesOnTheTopicAreCountedButAreNoFinding() {
        topic.add(new TopicEvent("s", 1, "e1"));

        Verdict verdict = reconcile();

        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.topicDuplicates()).isEqualTo(1);
    }

    @Test
    void aGapOnTheTopicAloneIsAGapAndTheUnpublishedAcknowledgementLost() {
        topic.remove(2);

        Verdict verdict = reconcile();

        assertThat(verdict.total().gaps()).isEqualTo(1);
        assertThat(verdict.total().lost()).isEqualTo(1);
        assertThat(verdict.rows().getFirst().gaps()).isEqualTo(1);
    }

    @Test
    void aMessageNumberSkippedInTheAcknowledgementsIsAGap() {
        acks.set(3, new Ack(Kind.MESSAGE, "s", "m3", 4, 0, at(12)));
        stored.set(3, new StoredEvent("s", 3, "e3", "MessagePosted", "m3", 4, "k3", at(12)));
        measures.set(0, new Measure("gateway", Measure.What.MESSAGES_COUNT, "s", 4));

        Verdict verdict = reconcile();

        assertThat(verdict.total().gaps()).isEqualTo(1);
        assertThat(verdict.findings()).singleElement().asString()
                .isEqualTo("[kill postgres] gap: message number 3 of session s was never acknowledged");
    }

    @Test
    void missingNumbersAreThoseBelowTheHighestPresent() {
        assertThat(Reconciliation.missing(Set.of(0L, 1L, 4L), 0)).containsExactly(2L, 3L);
        assertThat(Reconciliation.missing(Set.of(), 1)).isEmpty();
    }
}
