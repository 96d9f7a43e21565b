package dev.transcript.projection.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a record that can never be applied to {@code <topic>.DLT}, unchanged, with spring-kafka's
 * dead-letter headers: the original topic, partition and offset, the consumer group that gave it up, and
 * the reason. Synchronous, so a record is acknowledged only once its dead letter is stored. Each is also recorded
 * in {@code projection.dead_letter} (in the caller's transaction, if any): an event dead-lettered counts as
 * handled for its aggregate's position, and that row is what says it was not applied.
 */
@Component
class DeadLetters {

    private final KafkaTemplate<String, byte[]> kafka;
    private final String suffix;
    private final MeterRegistry meters;
    private final ObjectProvider<KafkaListenerEndpointRegistry> listeners;
    private final JdbcTemplate jdbc;

    DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                ObjectProvider<KafkaListenerEndpointRegistry> listeners, JdbcTemplate jdbc,
                @Value("${transcript.projection.dead-letter-suffix:.DLT}") String suffix) {
        this.kafka = kafka;
        this.jdbc = jdbc;
        this.meters = meters;
        this.listeners = listeners;
        this.suffix = suffix;
    }

    /** An event that names its aggregate and sequence: the caller moves its aggregate past it. */
    void send(String readModel, Envelope envelope, String reason) {
        send(readModel, envelope.origin(), envelope.key(), envelope.cloudEvent(), reason);
        record(readModel, envelope.origin(), envelope.aggregateId(), envelope.sequence(), envelope.eventId(), reason);
    }

    /** A record that does not say which event it is: recorded under its key, with no sequence. */
    void sendUnidentified(String readModel, Origin origin, String key, byte[] value, String reason) {
        send(readModel, origin, key, value, reason);
        record(readModel, origin, key, null, null, reason);
    }

    private void record(String readModel, Origin origin, String aggregateId, Long sequence, String eventId,
                        String reason) {
        jdbc.update("""
                INSERT INTO projection.dead_letter (read_model, aggregate_id, sequence, event_id, reason, source_topic,
                    source_partition, source_offset)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", // the same event (or unidentified record) given up again
                readModel, aggregateId, sequence, eventId, reason, origin.topic(), origin.partition(), origin.offset());
    }

    private void send(String readModel, Origin origin, String key, byte[] value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(origin.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(origin.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(origin.offset()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(consumerGroupOf(readModel)));
        headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(reason));
        try {
            kafka.send(new ProducerRecord<>(origin.topic() + suffix, null, key, value, headers))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not dead-letter " + origin, e);
        }
        meters.counter("transcript.projection.dead_lettered", "read_model", readModel).increment();
    }

    /**
     * The consumer group the read model's listener runs in: its {@code group-id} setting, which an operator
     * changes to rebuild a read model from the start of the topic, so a replay tool that reads the header
     * must find the group that really gave the record up. A listener is registered under its read model's
     * name; the drainer gives up parked events outside the listener's thread, so the name is the key.
     */
    private String consumerGroupOf(String readModel) {
        KafkaListenerEndpointRegistry registry = listeners.getIfAvailable();
        MessageListenerContainer container = registry == null ? null : registry.getListenerContainer(readModel);
        return container == null || container.getGroupId() == null ? readModel : container.getGroupId();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
