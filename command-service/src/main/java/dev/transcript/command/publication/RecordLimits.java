package dev.transcript.command.publication;

import dev.transcript.events.EventContract;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;

/**
 * The record limits publication depends on, checked at start-up: every event the contract accepts must
 * fit one record with its CloudEvent envelope, and the topic must take every record the producer sends.
 * Otherwise an accepted event would stop publication for everyone (issue 12, finding 1).
 */
final class RecordLimits {

    /** The largest {@code data} of an event the contract accepts (the event schemas' {@code maxEncodedBytes}). */
    static final int MAX_EVENT_BYTES = EventContract.MAX_ENCODED_BYTES;
    /** Room for the CloudEvent attributes, the record's key and headers, beside the data. */
    static final int ENVELOPE_MARGIN_BYTES = 64 * 1024;

    private RecordLimits() {
    }

    static void check(Map<String, Object> producer, NewTopic topic) {
        int maxRequest = Integer.parseInt(String.valueOf(producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                "1048576")));
        if (maxRequest < MAX_EVENT_BYTES + ENVELOPE_MARGIN_BYTES) {
            throw new IllegalStateException("the producer's max.request.size (" + maxRequest + ") leaves no room for an"
                    + " event of " + MAX_EVENT_BYTES + " bytes and its envelope (" + ENVELOPE_MARGIN_BYTES + ")");
        }
        String topicMax = topic.configs() == null ? null : topic.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (topicMax == null || Integer.parseInt(topicMax) < maxRequest) {
            throw new IllegalStateException("the topic's max.message.bytes (" + topicMax + ") must be set and at least"
                    + " the producer's max.request.size (" + maxRequest + ")");
        }
    }
}
