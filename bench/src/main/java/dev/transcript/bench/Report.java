package dev.transcript.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON that every program writes to {@code --out} (and stdout), for bin/stack bench to collect. */
final class Report {

    /**
     * Configured like Spring Boot configures the services' mapper (JavaTimeModule, ISO dates), so the
     * event JSON this module produces is byte-for-byte the shape the services write.
     */
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Report() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Percentiles of a histogram recorded in microseconds, reported in milliseconds (3 decimals). */
    static ObjectNode latency(Histogram micros) {
        ObjectNode node = object();
        node.put("count", micros.getTotalCount());
        if (micros.getTotalCount() == 0) {
            return node;
        }
        node.put("minMs", ms(micros.getMinValue()));
        node.put("p50Ms", ms(micros.getValueAtPercentile(50)));
        node.put("p90Ms", ms(micros.getValueAtPercentile(90)));
        node.put("p99Ms", ms(micros.getValueAtPercentile(99)));
        node.put("p999Ms", ms(micros.getValueAtPercentile(99.9)));
        node.put("maxMs", ms(micros.getMaxValue()));
        node.put("meanMs", Math.round(micros.getMean()) / 1000.0);
        return node;
    }

    /** Microsecond precision, up to an hour: anything longer is a failure, not a latency. */
    static Histogram microsHistogram() {
        return new Histogram(3_600_000_000L, 3);
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Writes pretty JSON to {@code out} when given, and always a copy to stdout. */
    static void write(ObjectNode result, String out) throws IOException {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result);
        if (out != null && !out.isBlank()) {
            Path path = Path.of(out);
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, text + "\n");
        }
        System.out.println(text);
    }
}
