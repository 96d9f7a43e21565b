package dev.transcript.projection.support;

import dev.transcript.events.TranscriptEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event as command-service publishes it: the record key (aggregate id), the CloudEvent's bytes, and the
 * coordinates it has on the topic. A redelivery is the same record again, at the same partition and offset.
 *
 * @param event null for a record that carries no Transcript event (an unknown type, a poison record)
 */
public record Published(String id, String key, String type, long sequence, Instant time, TranscriptEvent event,
                        byte[] value, int partition, long offset) {

    /** What a consumer of {@link CloudEventRecords#TOPIC} receives, for direct calls to the applier. */
    public ConsumerRecord<String, byte[]> consumerRecord() {
        return new ConsumerRecord<>(CloudEventRecords.TOPIC, partition, offset, key, value);
    }

    /** The record to produce through a real broker, to the partition its key hashes to. */
    public ProducerRecord<String, byte[]> producerRecord() {
        return producerRecord(null);
    }

    /** The record to produce through a real broker, to a chosen partition (null: as the key hashes). */
    public ProducerRecord<String, byte[]> producerRecord(Integer partition) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventRecords.CONTENT_TYPE_HEADER,
                "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(CloudEventRecords.TOPIC, partition, key, value, headers);
    }
}
