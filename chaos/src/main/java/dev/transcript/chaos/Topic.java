package dev.transcript.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads transcript.events from offset 0 to its end, committed records only, as an analytics consumer would. */
final class Topic {

    static final String NAME = "transcript.events";

    private Topic() {
    }

    static List<TopicEvent> read(String bootstrapServers, Duration timeout) throws IOException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        List<TopicEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(NAME, timeout).stream()
                    .map(p -> new TopicPartition(NAME, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout);
            while (!atEnd(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("could not read " + NAME + " to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    events.add(event(record));
                }
            }
        }
        return events;
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Structured CloudEvents (the service's mode); binary mode's ce_ headers are read too. */
    static TopicEvent event(ConsumerRecord<byte[], byte[]> record) throws IOException {
        Header id = record.headers().lastHeader("ce_id");
        if (id != null) {
            return new TopicEvent(header(record, "ce_subject"), Long.parseLong(header(record, "ce_sequence")),
                    new String(id.value(), StandardCharsets.UTF_8));
        }
        JsonNode event = CommandClient.JSON.readTree(record.value());
        return new TopicEvent(event.path("subject").asText(), event.path("sequence").asLong(-1),
                event.path("id").asText());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
