package dev.transcript.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A backlog for the projections to catch up on: K valid CloudEvents written straight to the topic, as
 * the command-service would have published them, without going through its event store (so these
 * users and sessions exist only in the read models). Users first, then their sessions, then messages
 * round-robin over the sessions: every poll of the projection touches many aggregates, the hard case.
 */
public final class CatchUpLoad {

    static final String USAGE = """
            usage: java -cp 'bench/target/bench.jar:bench/target/lib/*' dev.transcript.bench.CatchUpLoad [options]

              --bootstrap HOSTS      Kafka                                               (127.0.0.1:9092)
              --topic T              created when missing, as the command-service would   (transcript.events)
              --partitions N         only when creating the topic                        (6)
              --events K             total events: users + sessions + messages           (500000)
              --users N              UserRegistered events                                (100)
              --sessions N           SessionStarted events; the rest are MessagePosted    (1000)
              --order O              round-robin | grouped (all of a session's messages together) (round-robin)
              --content-bytes N      size of each message's content                       (200)
              --out FILE             results JSON (also printed on stdout)
              --help

            The producer is tuned for throughput: acks=all, idempotent, lz4, linger.ms=20, batch.size=256KB.""";

    private static final Set<String> OPTIONS = Set.of("bootstrap", "topic", "partitions", "events", "users",
            "sessions", "order", "content-bytes", "out");

    private CatchUpLoad() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, OPTIONS, USAGE);
        Logs.warnAndAbove();
        String bootstrap = args.string("bootstrap", "127.0.0.1:9092");
        String topic = args.string("topic", "transcript.events");
        long events = args.longValue("events", 500_000);
        int users = args.integer("users", 100);
        int sessions = args.integer("sessions", 1000);
        long messages = events - users - sessions;
        if (users < 1 || sessions < 1 || messages < 0) {
            System.err.println("--events must be at least --users + --sessions, each at least 1");
            System.exit(2);
        }
        boolean grouped = args.string("order", "round-robin").equals("grouped");
        String content = "m".repeat(args.integer("content-bytes", 200));
        ensureTopic(bootstrap, topic, args.integer("partitions", 6));

        EventCodec codec = new EventCodec(EventCodec.SOURCE);
        String runId = UUID.randomUUID().toString().substring(0, 8);
        long start = System.nanoTime();
        try (Progress progress = new Progress("catch-up-load");
             KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
            Sender send = (event, sequence) -> {
                CloudEvent cloudEvent = codec.encode(event, UUID.randomUUID().toString(), sequence, Instant.now());
                progress.sent.increment();
                producer.send(new ProducerRecord<>(topic, event.aggregateId(), cloudEvent), (metadata, failure) -> {
                    if (failure == null) {
                        progress.ok.increment();
                    } else {
                        progress.error(failure.getClass().getSimpleName());
                    }
                });
            };
            List<UUID> userIds = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                UUID userId = UUID.randomUUID();
                userIds.add(userId);
                // Not a real bcrypt hash of anything: the projection stores it and never checks it.
                send.send(new UserRegistered(userId, "catchup-" + runId + "-" + u + "@example.com",
                        "$2a$10$" + "b".repeat(53), UserRole.USER), 0);
            }
            List<SessionStarted> started = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                Instant now = Instant.now();
                SessionStarted session = new SessionStarted(UUID.randomUUID(), userIds.get(s % users),
                        UUID.randomUUID(), 86_400, now.plusSeconds(86_400));
                started.add(session);
                send.send(session, 0);
            }
            for (long m = 0; m < messages; m++) {
                // Session s gets messages/sessions messages (+1 for the first messages % sessions sessions).
                int s;
                int number;
                if (grouped) {
                    long base = messages / sessions;
                    long extra = messages % sessions;
                    long boundary = extra * (base + 1);
                    s = (int) (m < boundary ? m / (base + 1) : extra + (m - boundary) / base);
                    number = (int) (m < boundary ? m % (base + 1) : (m - boundary) % base) + 1;
                } else {
                    s = (int) (m % sessions);
                    number = (int) (m / sessions) + 1;
                }
                SessionStarted session = started.get(s);
                send.send(new MessagePosted(session.sessionId(), session.conversationId(), UUID.randomUUID(), number,
                        number % 2 == 1 ? MessageRole.USER : MessageRole.ASSISTANT, content, number % 500, List.of(), Map.of(), null, null), number);
            }
            producer.flush(); // every send acknowledged (or failed) before the clock stops
            double seconds = (System.nanoTime() - start) / 1e9;

            ObjectNode report = Report.object();
            report.put("program", "CatchUpLoad");
            report.putPOJO("options", args.given());
            report.put("topic", topic);
            report.put("users", users);
            report.put("sessions", sessions);
            report.put("messages", messages);
            report.put("eventsProduced", progress.ok.sum());
            report.put("errors", progress.errors.sum());
            report.put("seconds", Math.round(seconds * 100) / 100.0);
            report.put("eventsPerSecond", Math.round(progress.ok.sum() / seconds));
            report.set("requests", progress.toJson());
            Report.write(report, args.string("out", null));
            System.exit(progress.errors.sum() == 0 ? 0 : 1);
        }
    }

    @FunctionalInterface
    private interface Sender {
        void send(TranscriptEvent event, long sequence) throws Exception;
    }

    /** The same serializer and structured mode as the command-service; tuned for bulk, not latency. */
    private static Map<String, Object> producerConfig(String bootstrap) {
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "bench-catch-up-load"),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class),
                Map.entry(CloudEventSerializer.ENCODING_CONFIG, "STRUCTURED"),
                Map.entry(CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 20),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024));
    }

    /**
     * Left to the broker, a missing topic would be auto-created with one partition, and the command-service
     * would then publish into that: create it as the service does (unlimited retention).
     */
    private static void ensureTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            System.err.printf("creating topic %s with %d partitions%n", topic, partitions);
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, "-1", TopicConfig.RETENTION_BYTES_CONFIG, "-1"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }
}
