package dev.transcript.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Publication lag as a consumer sees it: the time a record arrives minus its CloudEvent {@code time}
 * (when the command-service created the event, before its transaction committed). Same machine, same
 * wall clock, so the difference is meaningful to well under a millisecond.
 */
final class PublicationLagProbe implements AutoCloseable {

    private final Histogram micros = Report.microsHistogram();
    private final Set<String> subjects;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread consumerThread;
    private volatile Instant measureFrom = Instant.MAX;
    private volatile boolean running = true;
    private volatile long lastMatchNanos = System.nanoTime();
    private volatile Exception failure;
    private long records;

    /** @param subjects the benchmark's session ids: other traffic on the topic is not ours to measure */
    PublicationLagProbe(String bootstrap, String topic, Set<String> subjects) throws InterruptedException {
        this.subjects = subjects;
        this.consumerThread = Thread.ofPlatform().name("publication-lag").daemon().start(() -> consume(bootstrap, topic));
        if (!ready.await(40, TimeUnit.SECONDS)) { // partitionsFor gives up after 30 s
            throw new IllegalStateException("could not reach Kafka at " + bootstrap + " within 30 s");
        }
        if (failure != null) {
            throw new IllegalStateException("Kafka consumer failed: " + failure, failure);
        }
    }

    /** Events created before this instant (warm-up) are not recorded. */
    void measureFrom(Instant from) {
        this.measureFrom = from;
    }

    private void consume(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-publication-lag",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", // as the projections read
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            // No group: assign every partition and start at the end, so joining a group costs nothing.
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions: does it exist?");
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, before the load starts
            ready.countDown();
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Instant received = Instant.now();
                    if (record.key() != null && subjects.contains(record.key())) {
                        record(record.value(), received);
                    }
                }
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            ready.countDown();
        }
    }

    private void record(String value, Instant received) {
        try {
            JsonNode event = Report.JSON.readTree(value);
            Instant created = OffsetDateTime.parse(event.get("time").asText()).toInstant();
            lastMatchNanos = System.nanoTime();
            if (!created.isBefore(measureFrom)) {
                records++;
                long lag = Duration.between(created, received).toNanos() / 1000;
                micros.recordValue(Math.min(Math.max(0, lag), micros.getHighestTrackableValue()));
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /** Waits until no record of ours has arrived for {@code quiet} (or {@code max} passed), then reports. */
    ObjectNode finish(Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - lastMatchNanos < quiet.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        running = false;
        consumerThread.join(5000);
        ObjectNode node = Report.latency(micros);
        node.put("records", records);
        if (failure != null) {
            node.put("failure", failure.toString());
        }
        return node;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumerThread.join(5000);
    }
}
