package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code "maxEncodedBytes": n}: the instance, written as JSON in UTF-8 by Jackson (no indentation), is at
 * most n bytes. On the event's root it bounds the CloudEvent's data below the producer's and the topic's
 * record limit. A refusal names the largest property, usually the one to shorten.
 */
final class MaxEncodedBytes extends InstanceKeyword {

    private static final ObjectMapper JSON = new ObjectMapper();

    MaxEncodedBytes() {
        super("maxEncodedBytes");
    }

    @Override
    Problem problem(JsonNode limit, JsonNode instance) {
        long bytes = encodedLength(instance);
        if (bytes >= 0 && bytes <= limit.asLong()) {
            return null;
        }
        String message = (bytes < 0 ? "cannot be written as JSON" : "is " + bytes + " bytes as JSON")
                + ", more than the " + limit.asLong() + " allowed";
        String largest = null;
        long largestBytes = -1;
        for (Map.Entry<String, JsonNode> field : instance.properties()) {
            long fieldBytes = encodedLength(field.getValue());
            fieldBytes = fieldBytes < 0 ? Long.MAX_VALUE : fieldBytes;
            if (fieldBytes > largestBytes) {
                largest = field.getKey();
                largestBytes = fieldBytes;
            }
        }
        return largest == null ? new Problem(List.of(), "the event " + message)
                : new Problem(List.of(largest), "the event " + message + " (this field is its largest)");
    }

    /** Bytes of UTF-8 JSON, counted without keeping them; -1 when Jackson cannot write it (too deep). */
    static long encodedLength(JsonNode node) {
        Counter counter = new Counter();
        try {
            JSON.writeValue(counter, node);
            return counter.bytes;
        } catch (IOException e) {
            return -1;
        }
    }

    private static final class Counter extends OutputStream {

        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
