package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How fast the publisher moves a backlog from the event store to the topic. The orchestration stops
 * command-service, deletes the publisher's token and starts the service again: the publisher then sends
 * the whole event store once more. This meter counts the events in the store, then watches the topic's
 * end offsets grow by that many; events/s = events / time from the first growth to the last.
 */
public final class PublicationMeter {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.PublicationMeter [options]

              --jdbc-url URL        database with schema eventstore  (jdbc:postgresql://127.0.0.1:5432/transcript)
              --jdbc-user U / --jdbc-password P                        ($PGUSER/postgres, $PGPASSWORD/"")
              --bootstrap HOSTS     Kafka                              (127.0.0.1:9092)
              --topic T                                                (transcript.events)
              --interval D          poll interval                      (250ms)
              --timeout D           give up after this long, exit 1     (10m)
              --out FILE            results JSON (also printed on stdout)
              --help""";

    private static final Set<String> OPTIONS = Set.of("jdbc-url", "jdbc-user", "jdbc-password", "bootstrap", "topic",
            "interval", "timeout", "out");

    private PublicationMeter() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, OPTIONS, USAGE);
        Logs.warnAndAbove();
        String topic = args.string("topic", "transcript.events");
        long intervalMillis = args.duration("interval", Duration.ofMillis(250)).toMillis();
        long timeoutNanos = args.duration("timeout", Duration.ofMinutes(10)).toNanos();
        try (ReadModel db = new ReadModel(ReadModel.Login.of(args));
             KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.string("bootstrap", "127.0.0.1:9092"),
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                     ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            long stored = storedEvents(db);
            List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            long base = endOffsets(kafka, partitions);
            long target = base + stored;
            System.err.printf("publication-meter: %,d events in the store; waiting for the topic to grow by them%n", stored);
            long meterStart = System.nanoTime();
            long clockStart = -1;
            long previousPoll = meterStart;
            long now = base;
            while (now < target && System.nanoTime() - meterStart < timeoutNanos) {
                Thread.sleep(intervalMillis);
                long polled = System.nanoTime();
                long next = endOffsets(kafka, partitions);
                if (clockStart < 0 && next > base) {
                    clockStart = previousPoll; // the growth seen now began after the previous poll
                }
                now = next;
                previousPoll = polled;
            }
            double seconds = clockStart < 0 ? 0 : (previousPoll - clockStart) / 1e9;
            long published = now - base;
            ObjectNode report = Report.object();
            report.put("program", "PublicationMeter");
            report.putPOJO("options", args.given());
            report.put("storedEvents", stored);
            report.put("published", published);
            report.put("complete", now >= target);
            report.put("seconds", Math.round(seconds * 1000) / 1000.0);
            report.put("resolutionSeconds", intervalMillis / 1000.0);
            report.put("eventsPerSecond", seconds == 0 ? 0 : Math.round(published / seconds));
            report.put("finishedAt", Instant.now().toString());
            Report.write(report, args.string("out", null));
            System.exit(now >= target ? 0 : 1);
        }
    }

    private static long storedEvents(ReadModel db) throws Exception {
        try (Statement statement = db.connection().createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM eventstore.domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long endOffsets(KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions) {
        return kafka.endOffsets(partitions, Duration.ofSeconds(10)).values().stream().mapToLong(Long::longValue).sum();
    }
}
