package dev.transcript.projection.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/** Reads {@code transcript.events.DLT} from its beginning, as an operator's tool would. */
public final class DeadLetterTopic {

    private DeadLetterTopic() {
    }

    /** Waits for the dead letter of the record at this partition and offset of {@code transcript.events}. */
    public static ConsumerRecord<String, byte[]> awaitDeadLetterOf(String brokers, int partition, long offset,
                                                                 Duration atMost) {
        return awaitDeadLetterOf(brokers, null, partition, offset, atMost);
    }

    /**
     * Waits for the dead letter one read model sent of the record at this partition and offset of
     * {@code transcript.events}: every read model's consumer group dead-letters a poison record on its own.
     *
     * @param readModel the dead letter's original consumer group (a read model's group is named after it unless its
     *                  group-id is set); null for any
     */
    public static ConsumerRecord<String, byte[]> awaitDeadLetterOf(String brokers, String readModel, int partition,
                                                                 long offset, Duration atMost) {
        return awaitDeadLetterOf(brokers, readModel, null, partition, offset, atMost);
    }

    /**
     * As above, of the record with this key only: tests that deliver records of their own making straight to the
     * applier give them offsets that other tests of a shared context repeat.
     *
     * @param key the original record's key (a dead letter keeps it); null for any
     */
    public static ConsumerRecord<String, byte[]> awaitDeadLetterOf(String brokers, String readModel, String key,
                                                                 int partition, long offset, Duration atMost) {
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(brokers)) {
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            return await("the dead letter of " + CloudEventRecords.TOPIC + "-" + partition + "@" + offset)
                    .atMost(atMost)
                    .pollInSameThread() // a KafkaConsumer is for one thread
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                        return seen.stream().filter(record -> isDeadLetterOf(record, partition, offset))
                                .filter(record -> key == null || key.equals(record.key()))
                                .filter(record -> readModel == null
                                        || readModel.equals(text(record, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)))
                                .findFirst();
                    }, Optional::isPresent)
                    .orElseThrow();
        }
    }

    /** Every dead letter on the topic now, read from its beginning to its current end. */
    public static List<ConsumerRecord<String, byte[]>> deadLettersSoFar(String brokers) {
        try (KafkaConsumer<String, byte[]> consumer = fromTheBeginning(brokers)) {
            List<TopicPartition> partitions = List.copyOf(consumer.assignment());
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await("the dead-letter topic read to its end").atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                        return ends.entrySet().stream()
                                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
                    });
            return seen;
        }
    }

    /** A consumer of every partition of the dead-letter topic, at its beginning; for one thread. */
    private static KafkaConsumer<String, byte[]> fromTheBeginning(String brokers) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = consumer.partitionsFor(CloudEventRecords.DEAD_LETTER_TOPIC,
                        Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Whether this dead letter is of the record at this partition and offset of {@code transcript.events}. */
    public static boolean isDeadLetterOf(ConsumerRecord<String, byte[]> record, int partition, long offset) {
        return CloudEventRecords.TOPIC.equals(text(record, KafkaHeaders.DLT_ORIGINAL_TOPIC))
                && Integer.valueOf(partition).equals(intHeader(record, KafkaHeaders.DLT_ORIGINAL_PARTITION))
                && Long.valueOf(offset).equals(longHeader(record, KafkaHeaders.DLT_ORIGINAL_OFFSET));
    }

    public static String text(ConsumerRecord<?, ?> record, String header) {
        byte[] value = value(record, header);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** A 4-byte big-endian int, as spring-kafka's DeadLetterPublishingRecoverer writes the original partition. */
    public static Integer intHeader(ConsumerRecord<?, ?> record, String header) {
        byte[] value = value(record, header);
        return value == null || value.length != Integer.BYTES ? null : ByteBuffer.wrap(value).getInt();
    }

    /** An 8-byte big-endian long, as spring-kafka's DeadLetterPublishingRecoverer writes the original offset. */
    public static Long longHeader(ConsumerRecord<?, ?> record, String header) {
        byte[] value = value(record, header);
        return value == null || value.length != Long.BYTES ? null : ByteBuffer.wrap(value).getLong();
    }

    private static byte[] value(ConsumerRecord<?, ?> record, String header) {
        Header last = record.headers().lastHeader(header);
        return last == null ? null : last.value();
    }
}
