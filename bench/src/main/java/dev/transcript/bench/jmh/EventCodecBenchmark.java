package dev.transcript.bench.jmh;

import java.util.Map;
import java.util.List;
import dev.transcript.bench.EventCodec;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import io.cloudevents.CloudEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * CPU cost per event of the wire format, the part of publishing and projecting that is not I/O: how
 * many events a core could encode or decode per second bounds what the publisher and projector can do.
 * The projector's batch (SQL) is not here: it needs PostgreSQL, and CatchUpMeter measures it end to end.
 *
 * <p>Run: {@code java -cp 'bench/target/bench.jar:bench/target/lib/*' org.openjdk.jmh.Main EventCodecBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventCodecBenchmark {

    /** A short chat line and a long answer: the content dominates the JSON. */
    @Param({"200", "4000"})
    public int contentBytes;

    private EventCodec codec;
    private MessagePosted event;
    private String eventId;
    private Instant time;
    private byte[] wire;

    @Setup
    public void setUp() throws IOException {
        codec = new EventCodec(EventCodec.SOURCE);
        UUID sessionId = UUID.randomUUID();
        event = new MessagePosted(sessionId, UUID.randomUUID(), UUID.randomUUID(), 42, MessageRole.ASSISTANT,
                "c".repeat(contentBytes), 123, List.of(), Map.of(), null, null);
        eventId = UUID.randomUUID().toString();
        time = Instant.now();
        wire = codec.serialize(codec.encode(event, eventId, 42, time));
    }

    /** Jackson alone: the record to its data JSON. */
    @Benchmark
    public byte[] serializeRecord() throws IOException {
        return codec.json().writeValueAsBytes(event);
    }

    /** What the publisher does per event: record JSON, CloudEventBuilder, structured JSON. */
    @Benchmark
    public byte[] encodeCloudEvent() throws IOException {
        return codec.serialize(codec.encode(event, eventId, 42, time));
    }

    /** What the projection does per record before any SQL: parse the CloudEvent, read its data. */
    @Benchmark
    public TranscriptEvent decodeCloudEvent() throws IOException {
        CloudEvent cloudEvent = codec.parse(wire);
        return codec.data(cloudEvent);
    }
}
