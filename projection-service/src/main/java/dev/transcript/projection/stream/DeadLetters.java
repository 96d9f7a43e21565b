package dev.transcript.projection.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a record that can never be applied to {@code <topic>.DLT}, unchanged, with spring-kafka's
 * dead-letter headers: the original topic, partition and offset, and the reason. Synchronous, so a record
 * is acknowledged only once its dead letter is stored.
 */
@Component
public class DeadLetters {

    private final KafkaTemplate<String, byte[]> kafka;
    private final String suffix;
    private final MeterRegistry meters;

    DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                @Value("${transcript.projection.dead-letter-suffix:.DLT}") String suffix) {
        this.kafka = kafka;
        this.meters = meters;
        this.suffix = suffix;
    }

    public void send(String readModel, Origin origin, String key, byte[] value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(origin.topic()));
        headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(origin.partition()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(origin.offset()).array());
        headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(readModel));
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
