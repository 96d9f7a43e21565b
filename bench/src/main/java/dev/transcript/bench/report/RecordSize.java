package dev.transcript.bench.report;

import java.util.Map;
import java.util.List;
import dev.transcript.bench.EventCodec;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;

import java.time.Instant;
import java.util.UUID;

/**
 * Prints the size in bytes of one typical record value on {@code transcript.events}: a MessagePosted with
 * the load generator's message content, encoded as the command-service encodes it (structured CloudEvent
 * JSON). bench/run gives this number to Kafka's producer benchmark, so that baseline (c) moves records of
 * the size the service publishes.
 *
 * <pre>java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.report.RecordSize [CONTENT_BYTES]</pre>
 */
public final class RecordSize {

    private RecordSize() {
    }

    public static void main(String[] argv) throws Exception {
        int contentBytes = argv.length > 0 ? Integer.parseInt(argv[0]) : 200; // LoadGenerator's --content-bytes default
        EventCodec codec = new EventCodec(EventCodec.SOURCE);
        // Message number 1234 and 7 tokens: a mid-conversation message, digits as wide as a typical one.
        MessagePosted event = new MessagePosted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 1234,
                MessageRole.USER, "x".repeat(contentBytes), 7, List.of(), Map.of(), null, null);
        byte[] value = codec.serialize(codec.encode(event, UUID.randomUUID().toString(), 1234, Instant.now()));
        System.out.println(value.length);
    }
}
