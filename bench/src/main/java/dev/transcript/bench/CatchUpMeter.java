package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How fast a projection catches up on a backlog: projection.partition_progress (written in the same
 * transaction as the read-model rows) against the topic's end offsets, every 250 ms, until the lag is 0
 * and no event of the read model is parked. A parked event (e.g. a session whose user, on another
 * partition, was not applied yet) has moved the offsets but not the read model: it is applied later by
 * the drainer, so offsets alone would call the projection caught up too early.
 * Reads only what the projection itself records, so the meter adds no load but two small queries a poll.
 */
public final class CatchUpMeter {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.CatchUpMeter [options]

              --jdbc-url URL        database with schema projection   (jdbc:postgresql://127.0.0.1:5432/transcript)
              --jdbc-user U / --jdbc-password P                         ($PGUSER/postgres, $PGPASSWORD/"")
              --read-model M        projection.partition_progress.read_model    (gateway)
              --bootstrap HOSTS     Kafka                                        (127.0.0.1:9092)
              --topic T                                                          (transcript.events)
              --partitions N        partitions to watch: 0..N-1                  (all of the topic's)
              --interval D          poll interval                                (250ms)
              --start S             when the clock starts:                       (first-progress)
                                      first-progress  the poll before the projection's offsets first move
                                      now             at once
                                      stdin           when a line (or end of input) arrives on stdin
              --timeout D           give up after this long, exit 1               (30m)
              --out FILE            results JSON (also printed on stdout)
              --help

            events/s = events applied (sum of next_offset moved) / time from the start to lag 0 with no event
            of the read model left in projection.parked_event.""";

    private static final Set<String> OPTIONS = Set.of("jdbc-url", "jdbc-user", "jdbc-password", "read-model",
            "bootstrap", "topic", "partitions", "interval", "start", "timeout", "out");

    private CatchUpMeter() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, OPTIONS, USAGE);
        Logs.warnAndAbove();
        String readModel = args.string("read-model", "gateway");
        String topic = args.string("topic", "transcript.events");
        String start = args.string("start", "first-progress");
        if (!Set.of("first-progress", "now", "stdin").contains(start)) {
            System.err.println("unknown --start " + start + "\n" + USAGE);
            System.exit(2);
        }
        long intervalMillis = args.duration("interval", Duration.ofMillis(250)).toMillis();
        long timeoutNanos = args.duration("timeout", Duration.ofMinutes(30)).toNanos();

        try (ReadModel db = new ReadModel(ReadModel.Login.of(args));
             KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerConfig(args.string("bootstrap", "127.0.0.1:9092")));
             PreparedStatement progressQuery = db.connection().prepareStatement("""
                     SELECT partition, next_offset FROM projection.partition_progress
                     WHERE read_model = ? AND topic = ?""");
             PreparedStatement parkedQuery = db.connection().prepareStatement(
                     "SELECT count(*) FROM projection.parked_event WHERE read_model = ?")) {
            int partitionCount = args.integer("partitions",
                    kafka.partitionsFor(topic, Duration.ofSeconds(30)).size());
            if (partitionCount == 0) {
                System.err.println("catch-up-meter: topic " + topic + " has no partitions: does it exist?");
                System.exit(2);
            }
            List<TopicPartition> partitions = IntStream.range(0, partitionCount)
                    .mapToObj(p -> new TopicPartition(topic, p)).toList();
            // A partition the projection has not written yet counts from the start of the log.
            Map<TopicPartition, Long> beginning = kafka.beginningOffsets(partitions);

            if (start.equals("stdin")) {
                System.err.println("catch-up-meter: waiting for a line on stdin to start");
                new BufferedReader(new InputStreamReader(System.in)).readLine();
            }
            long meterStart = System.nanoTime();
            Snapshot baseline = snapshot(progressQuery, parkedQuery, readModel, topic, kafka, partitions, beginning);
            long clockStart = start.equals("first-progress") ? -1 : meterStart;
            long clockStartApplied = baseline.applied();
            long previousPoll = meterStart;
            long previousApplied = baseline.applied();
            long lastPrint = meterStart;
            long maxLag = baseline.lag();
            Snapshot now = baseline;
            long lagZeroAt = -1;       // first poll with offset lag 0 after the clock started
            long parkedAtLagZero = -1; // events parked then, still to be applied by the drainer
            System.err.printf("catch-up-meter: %d partitions, lag %d at start%n", partitionCount, baseline.lag());

            while (true) {
                if (clockStart >= 0 && now.caughtUp() && now.applied() > clockStartApplied) {
                    break; // caught up after having had something to do
                }
                if (clockStart >= 0 && now.caughtUp() && start.equals("now")) {
                    break; // nothing to do at all
                }
                if (System.nanoTime() - meterStart > timeoutNanos) {
                    System.err.println("catch-up-meter: timed out with lag " + now.lag() + ", parked " + now.parked());
                    break;
                }
                Thread.sleep(intervalMillis);
                long polled = System.nanoTime();
                now = snapshot(progressQuery, parkedQuery, readModel, topic, kafka, partitions, beginning);
                maxLag = Math.max(maxLag, now.lag());
                if (clockStart < 0 && now.applied() > previousApplied) {
                    // The work seen now was done after the previous poll: start the clock there (an
                    // over-estimate of at most one interval), counting from that poll's offsets.
                    clockStart = previousPoll;
                    clockStartApplied = previousApplied;
                }
                if (clockStart >= 0 && lagZeroAt < 0 && now.lag() == 0 && now.applied() > clockStartApplied) {
                    lagZeroAt = polled;
                    parkedAtLagZero = now.parked();
                }
                if (polled - lastPrint >= 1_000_000_000L) {
                    double elapsed = clockStart < 0 ? 0 : (polled - clockStart) / 1e9;
                    System.err.printf("[catch-up %5.1fs] applied=%d lag=%d parked=%d rate=%.0f/s%n", elapsed,
                            now.applied() - clockStartApplied, now.lag(), now.parked(),
                            (now.applied() - previousApplied) / ((polled - previousPoll) / 1e9));
                    lastPrint = polled;
                }
                previousPoll = polled;
                previousApplied = now.applied();
            }
            long stopped = previousPoll;
            double seconds = clockStart < 0 ? 0 : (stopped - clockStart) / 1e9;
            long applied = now.applied() - clockStartApplied;

            ObjectNode report = Report.object();
            report.put("program", "CatchUpMeter");
            report.putPOJO("options", args.given());
            report.put("readModel", readModel);
            report.put("topic", topic);
            report.put("partitions", partitionCount);
            report.put("lagAtMeterStart", baseline.lag());
            report.put("maxLag", maxLag);
            report.put("caughtUp", now.caughtUp());
            report.put("finalLag", now.lag());
            report.put("finalParked", now.parked());
            // When the offsets alone said "caught up", and how much was parked then.
            report.put("secondsToOffsetLagZero", lagZeroAt < 0 || clockStart < 0 ? -1
                    : Math.round((lagZeroAt - clockStart) / 1e6) / 1000.0);
            report.put("parkedAtOffsetLagZero", parkedAtLagZero);
            report.put("eventsApplied", applied);
            report.put("seconds", Math.round(seconds * 1000) / 1000.0);
            report.put("resolutionSeconds", intervalMillis / 1000.0); // each end of the interval, at most
            report.put("eventsPerSecond", seconds == 0 ? 0 : Math.round(applied / seconds));
            report.put("finishedAt", Instant.now().toString());
            Report.write(report, args.string("out", null));
            System.exit(now.caughtUp() ? 0 : 1);
        }
    }

    /**
     * Sum of next offsets (events applied, in offsets), of what remains up to the end offsets, and the
     * read model's parked events (consumed, not applied yet).
     */
    private record Snapshot(long applied, long lag, long parked) {
        boolean caughtUp() {
            return lag == 0 && parked == 0;
        }
    }

    private static Snapshot snapshot(PreparedStatement query, PreparedStatement parkedQuery, String readModel,
                                     String topic,
                                     KafkaConsumer<byte[], byte[]> kafka, List<TopicPartition> partitions,
                                     Map<TopicPartition, Long> beginning) throws Exception {
        Map<TopicPartition, Long> next = new HashMap<>(beginning);
        query.setString(1, readModel);
        query.setString(2, topic);
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                TopicPartition partition = new TopicPartition(topic, rows.getInt(1));
                if (next.containsKey(partition)) {
                    next.put(partition, rows.getLong(2));
                }
            }
        }
        // read_committed end offsets: what the projection (a read_committed consumer) can reach.
        Map<TopicPartition, Long> end = kafka.endOffsets(partitions, Duration.ofSeconds(10));
        long applied = 0;
        long lag = 0;
        for (TopicPartition partition : partitions) {
            applied += next.get(partition);
            lag += Math.max(0, end.get(partition) - next.get(partition));
        }
        long parked;
        parkedQuery.setString(1, readModel);
        try (ResultSet rows = parkedQuery.executeQuery()) {
            rows.next();
            parked = rows.getLong(1);
        }
        return new Snapshot(applied, lag, parked);
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-catch-up-meter",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }
}
