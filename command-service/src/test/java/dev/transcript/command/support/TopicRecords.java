package dev.transcript.command.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads a topic from its beginning, as any downstream consumer would. */
public final class TopicRecords {

    /** Decimals read as BigDecimal, so that a charge's cost is compared exactly as it was published. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** One record: its coordinates, key, and the CloudEvent it carries (structured JSON), parsed and as sent. */
    public record Record(int partition, long offset, String key, JsonNode cloudEvent, String value) {
        public String type() {
            return cloudEvent.path("type").asText();
        }

        public long sequence() {
            return cloudEvent.path("sequence").asLong();
        }

        public String id() {
            return cloudEvent.path("id").asText();
        }
    }

    private TopicRecords() {
    }

    /** Every record on the topic now, in partition-then-offset order. */
    public static List<Record> readAll(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<Record> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(new Record(record.partition(), record.offset(), record.key(), parse(record.value()),
                            record.value()));
                }
            }
            return records;
        }
    }

    /** Polls until the records with the given key satisfy the condition, and returns them. */
    public static List<Record> awaitKey(String bootstrapServers, String topic, String key,
                                        Predicate<List<Record>> condition, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> ofKey(readAll(bootstrapServers, topic), key), condition);
    }

    public static List<Record> ofKey(List<Record> records, String key) {
        return records.stream().filter(record -> key.equals(record.key())).toList();
    }

    private static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
