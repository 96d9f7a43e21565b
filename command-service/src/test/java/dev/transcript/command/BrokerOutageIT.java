package dev.transcript.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.testing.FreshDatabase;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.RestartableBroker;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker unreachable while commands are accepted, then back: every event arrives, once, in order.
 *
 * <p>The outage is real: the in-JVM broker is shut down (its port refuses connections) and later started
 * again on the same port with the same log, as a restarted broker would be. While it is down, commands
 * still answer at once. The outage lasts until the publisher has failed twice: its first batch is not
 * acknowledged, and its retry (fresh producer, topic checked again) fails too; its token must still be
 * where it was (nothing skipped). When the broker is back, publication resumes from that token: the topic
 * then holds exactly the events of the event store, each once, in sequence order per aggregate, and what
 * was published before the outage is neither moved nor published again.
 *
 * <p>Producer and admin timeouts are shortened so that a publication attempt fails in seconds; the bound
 * on a command's answer stays well below every one of them, so a command that waited on Kafka would show.
 * Health {@code publication} turns DOWN once publication has failed longer than its (here 3 s) allowance,
 * and UP again when the broker is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "transcript.users.bcrypt-cost=4",
        "spring.kafka.producer.properties.delivery.timeout.ms=4000",
        "spring.kafka.producer.properties.request.timeout.ms=1500",
        "spring.kafka.producer.properties.max.block.ms=4000",
        "spring.kafka.admin.operation-timeout=2s",
        "spring.kafka.admin.properties.request.timeout.ms=1500",
        "spring.kafka.admin.properties.default.api.timeout.ms=2000",
        "transcript.kafka.send-timeout=5s",
        "transcript.kafka.unhealthy-after=3s"
})
@ContextConfiguration(initializers = FreshDatabase.class)
@DirtiesContext // the context's publisher follows this class's broker, which goes at the end of the class
@ExtendWith(OutputCaptureExtension.class)
class BrokerOutageIT {

    static final RestartableBroker BROKER = RestartableBroker.start();

    /** A command answers in milliseconds; anything that waited on Kafka would take ≥ 4 s (max.block.ms). */
    static final Duration COMMAND_BOUND = Duration.ofSeconds(2);
    /** Covers the processor's back-off after failures (1 s, 2 s, 4 s, …) plus an attempt. */
    static final Duration PUBLICATION = Duration.ofSeconds(60);
    static final String PUBLISHER = "kafka-publisher";
    static final String PUBLICATION_FAILED = "the broker did not acknowledge a batch of";
    /** How Axon 4.12's pooled processor logs a batch whose handler threw (here: the publisher). */
    static final String FAILED_BATCH = "Error while processing batch in Work Package";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Logger log = LoggerFactory.getLogger(BrokerOutageIT.class);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
    }

    @AfterAll
    static void brokerGone() {
        BROKER.close();
    }

    @LocalServerPort
    int port;
    @Value("${transcript.kafka.topic}")
    String topic;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("publication")
    HealthIndicator publication;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /** One stored event, as the event store holds it. */
    record Stored(long globalIndex, String id, String aggregate, long sequence) {
    }

    @Test
    @Timeout(240)
    void while_the_broker_is_down_commands_succeed_and_when_it_is_back_publication_resumes_where_it_stopped(
            CapturedOutput output) {
        // Phase 1: the broker is up; everything stored reaches the topic.
        String ada = registerUser("ada");
        String first = startActiveSession(ada);
        postMessage(first, "hello");
        postMessage(first, "a todo app, please");

        List<Stored> storedBefore = awaitAllPublished();
        List<Record> publishedBefore = TopicRecords.readAll(BROKER.bootstrapServers(), topic);
        assertThat(publishedBefore).hasSize(storedBefore.size());
        assertExactlyOnceInOrder(publishedBefore, storedBefore);
        long tokenBefore = tokenIndex();
        assertThat(tokenBefore).isEqualTo(storedBefore.getLast().globalIndex());
        log.info("Before the outage: {} events stored and published", storedBefore.size());

        // Phase 2: the broker goes away; commands are still accepted, promptly.
        BROKER.stop();
        assertThat(BROKER.reachable()).isFalse();
        log.info("Outage: the broker is down");
        int outputBeforeOutage = output.getAll().length();
        List<Duration> latencies = new ArrayList<>();

        timed(latencies, () -> postMessage(first, "are you there?"));
        timed(latencies, () -> postMessage(first, "still there?"));
        String grace = timed(latencies, () -> registerUser("grace"));
        String second = timed(latencies, () -> startActiveSession(grace));
        timed(latencies, () -> postMessage(second, "hello from the outage"));

        // The publisher has tried and failed: its batch was not acknowledged, so its token must not move.
        await("the publisher fails on the missing broker").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> output.getAll().substring(outputBeforeOutage).contains(PUBLICATION_FAILED));
        log.info("Outage: the publisher has failed once");

        // Commands are still accepted while the publisher is failing and backing off ...
        timed(latencies, () -> postMessage(second, "and another"));
        timed(latencies, () -> postMessage(first, "last words before the broker is back"));

        // ... and the outage outlasts the publisher's retry (fresh producer, topic checked again): it fails too.
        await("the publisher's retry fails as well").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> failedBatchesIn(output.getAll().substring(outputBeforeOutage)) >= 2);
        log.info("Outage: the publisher's retry has failed as well");
        await("publication reports DOWN once it has failed longer than unhealthy-after").atMost(Duration.ofSeconds(30))
                .until(() -> publication.health().getStatus().equals(Status.DOWN));
        assertThat(publication.health().getDetails()).containsKeys("failingSince", "reason").doesNotContainKey("stuckAt");

        log.info("Outage: {} commands answered, the slowest in {} ms", latencies.size(),
                latencies.stream().max(Duration::compareTo).orElseThrow().toMillis());
        assertThat(latencies).as("each command answers without waiting on Kafka")
                .allSatisfy(latency -> assertThat(latency).isLessThan(COMMAND_BOUND));
        List<Stored> storedDuringOutage = storedEvents();
        assertThat(storedDuringOutage.size() - storedBefore.size())
                .as("events stored while the broker was down").isGreaterThanOrEqualTo(10);
        assertThat(audit(first)).as("the session's events are in the store")
                .hasSize((int) storedDuringOutage.stream().filter(e -> e.aggregate().equals(first)).count());
        assertThat(tokenIndex()).as("the publisher's token did not move past unpublished events")
                .isEqualTo(tokenBefore);

        // Phase 3: the broker is back; publication resumes where it stopped.
        BROKER.restart();
        log.info("Outage over: the broker is back");
        List<Stored> storedAfter = awaitAllPublished();
        log.info("Publication has caught up with the event store");
        await("publication reports UP again once a batch is published").atMost(Duration.ofSeconds(10))
                .until(() -> publication.health().getStatus().equals(Status.UP));
        assertThat(storedAfter).isEqualTo(storedDuringOutage);
        List<Record> publishedAfter = TopicRecords.readAll(BROKER.bootstrapServers(), topic);

        assertExactlyOnceInOrder(publishedAfter, storedAfter);
        assertThat(publishedAfter).as("what was published before the outage is where it was")
                .containsAll(publishedBefore);
        Map<Integer, Long> endsBefore = endOffsets(publishedBefore);
        List<Record> publishedSinceOutage = publishedAfter.stream()
                .filter(record -> record.offset() >= endsBefore.getOrDefault(record.partition(), 0L))
                .toList();
        assertThat(publishedSinceOutage).as("after the outage, exactly the events stored since were published")
                .extracting(Record::id)
                .containsExactlyInAnyOrderElementsOf(storedAfter.subList(storedBefore.size(), storedAfter.size())
                        .stream().map(Stored::id).toList());
    }

    /**
     * Waits until the publisher's token has passed the newest stored event (so no batch is still to be
     * retried) and the topic holds as many records as the store holds events; returns the stored events.
     */
    private List<Stored> awaitAllPublished() {
        return await("every stored event is published").atMost(PUBLICATION).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    List<Stored> stored = storedEvents();
                    boolean tokenAtHead = tokenIndex() >= stored.getLast().globalIndex();
                    boolean allOnTopic = tokenAtHead
                            && TopicRecords.readAll(BROKER.bootstrapServers(), topic).size() >= stored.size();
                    return allOnTopic ? stored : null;
                }, stored -> stored != null);
    }

    /** The topic holds exactly the stored events, each once, in sequence order per aggregate (its key). */
    private static void assertExactlyOnceInOrder(List<Record> published, List<Stored> stored) {
        List<String> ids = published.stream().map(Record::id).toList();
        assertThat(new HashSet<>(ids)).as("no event is published twice").hasSize(ids.size());
        assertThat(ids).as("every stored event is published, and nothing else")
                .containsExactlyInAnyOrderElementsOf(stored.stream().map(Stored::id).toList());

        Map<String, List<Stored>> storedByAggregate = stored.stream()
                .collect(Collectors.groupingBy(Stored::aggregate, LinkedHashMap::new, Collectors.toList()));
        storedByAggregate.forEach((aggregate, events) -> {
            List<Record> records = TopicRecords.ofKey(published, aggregate);
            assertThat(records).as("records of " + aggregate).extracting(Record::partition)
                    .containsOnly(records.getFirst().partition());
            assertThat(records).as("records of " + aggregate + " in offset order").extracting(Record::sequence)
                    .containsExactlyElementsOf(LongStream.range(0, events.size()).boxed().toList());
            assertThat(records).extracting(Record::id)
                    .containsExactlyElementsOf(events.stream().map(Stored::id).toList());
            assertThat(records).allSatisfy(record -> {
                assertThat(record.cloudEvent().path("subject").asText()).isEqualTo(aggregate);
                assertThat(record.cloudEvent().path("sequence").isIntegralNumber()).isTrue();
            });
        });
    }

    private static long failedBatchesIn(String output) {
        return output.lines().filter(line -> line.contains(FAILED_BATCH) && line.contains(PUBLISHER)).count();
    }

    private static Map<Integer, Long> endOffsets(List<Record> records) {
        return records.stream().collect(Collectors.toMap(Record::partition, record -> record.offset() + 1, Math::max));
    }

    private List<Stored> storedEvents() {
        return jdbc.query("SELECT global_index, event_identifier, aggregate_identifier, sequence_number"
                        + " FROM eventstore.domain_event_entry ORDER BY global_index",
                (row, n) -> new Stored(row.getLong(1), row.getString(2), row.getString(3), row.getLong(4)));
    }

    /** The global index the publisher's stored token has reached (-1 before it stores one). */
    private long tokenIndex() {
        List<byte[]> tokens = jdbc.query("SELECT token FROM eventstore.token_entry WHERE processor_name = ?",
                (row, n) -> row.getBytes(1), PUBLISHER);
        assertThat(tokens).as("the publisher has one segment").hasSize(1);
        if (tokens.getFirst() == null) {
            return -1;
        }
        try {
            return JSON.readTree(tokens.getFirst()).path("index").asLong(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> audit(String sessionId) {
        Http.Answer audit = http.get("/api/audit/sessions/" + sessionId + "/events");
        assertThat(audit.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        audit.body().forEach(event -> ids.add(event.path("eventId").asText()));
        return ids;
    }

    private static <T> T timed(List<Duration> latencies, Supplier<T> command) {
        long start = System.nanoTime();
        T result = command.get();
        latencies.add(Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private static void timed(List<Duration> latencies, Runnable command) {
        timed(latencies, () -> {
            command.run();
            return null;
        });
    }

    private String registerUser(String name) {
        return expect(201, http.post("/api/users", json("email", name + "+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"))).text("id");
    }

    /** Session started, its container created and started: three commands, four events. */
    private String startActiveSession(String userId) {
        String sessionId = expect(201, http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)))
                .text("sessionId");
        String base = "/api/sessions/" + sessionId;
        expect(201, http.post(base + "/container", json("containerId", "c0ffee" + System.nanoTime(),
                "containerName", "sandbox-" + sessionId, "image", "python:3.12", "cpuLimit", 1.5,
                "memoryLimitMb", 2048)));
        expect(200, http.post(base + "/container/started", "{}"));
        return sessionId;
    }

    private void postMessage(String sessionId, String content) {
        expect(201, http.post("/api/sessions/" + sessionId + "/messages",
                json("role", "user", "content", content, "tokensUsed", 3)));
    }

    private static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }
}
