package dev.transcript.projection.stream;

import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.ProjectionServiceApplication;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.support.CloudEventRecords;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import dev.transcript.testing.TestDatabase;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of projection-service share the partitions and nothing is applied twice.
 *
 * <p>One in-JVM KRaft broker, one database, and two projection-service applications in the same consumer group
 * (each with its listener's two consumers). The events of {@value #USERS} users, each with a session of
 * {@value #MESSAGES} messages, are produced in {@value #WAVES} waves:
 * <ul>
 *   <li>in the middle of every wave but the last, one instance (in turn) is closed and started again while the
 *       rest of the wave keeps flowing, so partitions move from one instance to the other and back;</li>
 *   <li>a graceful close commits what was applied first, so those rebalances seldom deliver anything twice.
 *       The last wave makes sure something is: a lock of this test holds every consumer's batch past
 *       {@code max.poll.interval.ms}, Kafka takes the partitions away, and when the lock goes the batches commit
 *       their rows but not their offsets, so the same records come again, to whichever consumer has them now.</li>
 * </ul>
 *
 * <p>"Applied" is measured, not inferred from the rows: every statement of the projection is idempotent on its
 * own, so a doubled message would not show in {@code gateway.chat_messages}. A {@code BEFORE INSERT} trigger,
 * installed for this test only, records every insert of a message that the projection attempts; it fires even when
 * {@code ON CONFLICT DO NOTHING} then skips the row, and its record is rolled back with a transaction that does
 * not commit. So a message inserted by two committed transactions shows as two records.
 */
class TwoInstancesIT {

    private static final Logger log = LoggerFactory.getLogger(TwoInstancesIT.class);

    static final int USERS = 40;
    static final int MESSAGES = 20;
    static final int WAVES = 5;
    static final int MESSAGES_PER_WAVE = MESSAGES / WAVES;
    static final int EVENTS = USERS * (2 + MESSAGES); // UserRegistered, SessionStarted, the messages
    static final String GROUP = "gateway";
    /** Each instance's Kafka client id starts with this and its name; its consumers add "-0" and "-1". */
    static final String CLIENT_ID = "two-instances-it-";
    /** Every event applied, parked ones drained: generous for two loaded cores. */
    static final Duration CONVERGES = Duration.ofSeconds(120);
    /** Between two records of the half wave that flows while an instance restarts: 80 to 120 records ≈ 1 s. */
    static final Duration PACE = Duration.ofMillis(10);
    /** max.poll.interval.ms of every consumer: a batch running longer than this loses its partitions. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(4);
    /** A restarted instance has joined the group and been given partitions. */
    static final Duration REJOINS = Duration.ofSeconds(60);

    static EmbeddedKafkaKraftBroker broker;
    static TestDatabase database;
    static JdbcTemplate jdbc;
    static final List<Instance> instances = new ArrayList<>();
    static final List<SessionStory> stories = new ArrayList<>();
    static final Set<Integer> partitionsWritten = new TreeSet<>();
    static volatile int messagesProduced;

    @BeforeAll
    static void twoInstancesConsumeWavesOfEventsWhileEachInTurnIsClosedAndStartedAgain() throws Exception {
        long began = System.nanoTime();
        broker = new EmbeddedKafkaKraftBroker(1, CloudEventRecords.PARTITIONS, CloudEventRecords.TOPIC);
        broker.afterPropertiesSet();
        database = TestDatabase.create("projection_two_instances");
        jdbc = new JdbcTemplate(new DriverManagerDataSource(database.jdbcUrl(), database.user(), database.password()));

        Instance first = new Instance("first");
        Instance second = new Instance("second");
        instances.add(first);
        instances.add(second);
        first.start(); // migrates the schemas
        countMessageInsertsAttempted();
        second.start();
        first.awaitPartitions();
        second.awaitPartitions();

        EventLog events = new EventLog(Instant.parse("2026-03-01T09:00:00Z"));
        do { // sessions in every partition, so that in the last wave every consumer has one to stall on
            stories.clear();
            for (int i = 0; i < USERS; i++) {
                stories.add(new SessionStory());
            }
        } while (stories.stream().map(story -> CloudEventRecords.partitionOf(story.sessionId.toString()))
                .distinct().count() < CloudEventRecords.PARTITIONS);
        ExecutorService flow = Executors.newSingleThreadExecutor();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int wave = 0; wave < WAVES; wave++) {
                List<Published> records = wave(events, wave);
                if (wave < WAVES - 1) {
                    List<Published> secondHalf = records.subList(records.size() / 2, records.size());
                    produce(producer, records.subList(0, records.size() / 2), Duration.ZERO);
                    // While the first half is being consumed, one instance goes (its partitions move to the other)
                    // and comes back (they are shared again), and the second half keeps flowing all the while.
                    Instance restarting = instances.get((wave + 1) % 2);
                    Future<?> flowing = flow.submit(() -> {
                        produce(producer, secondHalf, PACE);
                        return null;
                    });
                    restarting.close();
                    restarting.start();
                    restarting.awaitPartitions();
                    flowing.get(REJOINS.toSeconds(), TimeUnit.SECONDS);
                } else {
                    stallEverySessionWhile(() -> {
                        produce(producer, records, Duration.ZERO);
                        await("every consumer stalled past max.poll.interval.ms and out of the group")
                                .atMost(REJOINS).pollInterval(Duration.ofMillis(200))
                                .until(() -> describeGroup().members().isEmpty());
                        log.info("every consumer stalled and out of the group with {} of {} messages applied",
                                jdbc.queryForObject("SELECT count(*) FROM gateway.chat_messages", Integer.class),
                                messagesProduced);
                    });
                }
                log.info("wave {} produced; partitions so far: first {}, second {}", wave,
                        first.everAssigned, second.everAssigned);
            }
        } finally {
            flow.shutdownNow();
        }
        log.info("{} events produced in {} waves, {} restarts, in {} s", EVENTS, WAVES, WAVES - 1,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        assertThat(partitionsWritten).as("partitions the events were written to")
                .containsExactlyElementsOf(allPartitions());
        assertThat(messagesProduced).isEqualTo(USERS * MESSAGES);
    }

    @AfterAll
    static void closeBothInstancesAndDropTheDatabase() {
        try {
            instances.forEach(Instance::close);
        } finally {
            try {
                if (database != null) {
                    database.drop();
                }
            } finally {
                if (broker != null) {
                    broker.destroy();
                }
            }
        }
    }

    @Test
    void every_message_produced_is_in_chat_messages_exactly_once() {
        Set<UUID> expected = stories.stream()
                .flatMap(story -> IntStream.rangeClosed(1, MESSAGES).mapToObj(story::messageId))
                .collect(Collectors.toSet());

        await("every message projected").atMost(CONVERGES).untilAsserted(() -> {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM gateway.chat_messages", Integer.class))
                    .isEqualTo(messagesProduced);
            assertThat(jdbc.queryForObject("SELECT count(*) = count(DISTINCT id) FROM gateway.chat_messages",
                    Boolean.class)).isTrue();
        });
        assertThat(new HashSet<>(jdbc.queryForList("SELECT id FROM gateway.chat_messages", UUID.class)))
                .isEqualTo(expected);
    }

    @Test
    void every_conversation_counts_exactly_its_message_rows() {
        await("every conversation complete").atMost(CONVERGES).untilAsserted(() -> {
            List<Map<String, Object>> conversations = jdbc.queryForList("""
                    SELECT c.id, c.messages_count,
                           (SELECT count(*) FROM gateway.chat_messages m WHERE m.conversation_id = c.id) AS rows
                    FROM gateway.conversations c""");
            assertThat(conversations).hasSize(USERS);
            assertThat(conversations).allSatisfy(conversation -> {
                assertThat(((Number) conversation.get("messages_count")).longValue())
                        .as("messages_count of %s", conversation.get("id"))
                        .isEqualTo(((Number) conversation.get("rows")).longValue())
                        .isEqualTo(MESSAGES);
            });
        });
    }

    @Test
    void every_message_was_inserted_by_one_committed_transaction_only() {
        String attempts = """
                SELECT count(*) AS attempts, count(DISTINCT message_id) AS messages
                FROM two_instances_it.message_insert_attempt""";
        await("every message's insert committed").atMost(CONVERGES).untilAsserted(() ->
                assertThat(jdbc.queryForMap(attempts)).containsEntry("messages", (long) messagesProduced));

        // And it stays so: no late redelivery applies a message a second time.
        await("no message inserted twice").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(jdbc.queryForMap(attempts))
                        .as("a message inserted by more than one committed transaction: %s", jdbc.queryForList("""
                                SELECT message_id, count(*) FROM two_instances_it.message_insert_attempt
                                GROUP BY message_id HAVING count(*) > 1"""))
                        .containsEntry("attempts", (long) messagesProduced)
                        .containsEntry("messages", (long) messagesProduced));
    }

    @Test
    void every_aggregate_is_applied_up_to_its_last_event_and_nothing_is_parked_or_dead_lettered() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        stories.forEach(story -> {
            expected.put(story.userId.toString(), 0L);
            expected.put(story.sessionId.toString(), (long) MESSAGES);
        });

        await("every aggregate at its last event, nothing parked").atMost(CONVERGES).untilAsserted(() -> {
            assertThat(jdbc.queryForList("""
                    SELECT aggregate_id, sequence, reason FROM projection.parked_event WHERE read_model = ?""",
                    GatewayProjector.READ_MODEL)).as("parked events").isEmpty();
            Map<String, Long> positions = jdbc.queryForList("""
                    SELECT aggregate_id, last_sequence FROM projection.aggregate_position WHERE read_model = ?""",
                    GatewayProjector.READ_MODEL).stream().collect(Collectors.toMap(
                    row -> (String) row.get("aggregate_id"), row -> ((Number) row.get("last_sequence")).longValue()));
            assertThat(positions).isEqualTo(expected);
        });
        TopicPartition deadLetters = new TopicPartition(CloudEventRecords.DEAD_LETTER_TOPIC, 0);
        long deadLettered = broker.doWithAdminFunction(admin -> {
            try {
                return admin.listOffsets(Map.of(deadLetters, OffsetSpec.latest())).partitionResult(deadLetters)
                        .get(10, TimeUnit.SECONDS).offset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(deadLettered).as("records on %s", CloudEventRecords.DEAD_LETTER_TOPIC).isZero();
    }

    @Test
    void the_batches_that_stalled_past_the_poll_interval_came_again_and_were_skipped_as_duplicates() {
        await("the stalled batches delivered again").atMost(CONVERGES).untilAsserted(() ->
                assertThat(instances.stream().mapToLong(instance -> instance.counted("duplicates")).sum())
                        .as("events skipped as already applied, by both instances in all their lives")
                        .isPositive());
    }

    @Test
    void both_instances_had_partitions_assigned_and_now_share_all_six_between_them() {
        Instance first = instances.get(0);
        Instance second = instances.get(1);
        assertThat(first.starts).isEqualTo(1 + (WAVES - 1) / 2);
        assertThat(second.starts).isEqualTo(1 + WAVES / 2);

        await("the partitions shared between the two instances").atMost(REJOINS).untilAsserted(() -> {
            Set<Integer> ofFirst = first.assigned();
            Set<Integer> ofSecond = second.assigned();
            assertThat(ofFirst).as("the first instance's partitions").isNotEmpty().doesNotContainAnyElementsOf(ofSecond);
            assertThat(ofSecond).as("the second instance's partitions").isNotEmpty();
            Set<Integer> both = new TreeSet<>(ofFirst);
            both.addAll(ofSecond);
            assertThat(both).containsExactlyElementsOf(allPartitions());

            // The broker's view: both instances' consumers (two each) in the group, all partitions assigned.
            Map<String, Set<Integer>> byInstance = new TreeMap<>();
            for (MemberDescription member : describeGroup().members()) {
                String instance = instances.stream().map(each -> each.name)
                        .filter(name -> member.clientId().startsWith(CLIENT_ID + name + "-"))
                        .findFirst().orElse("unknown client " + member.clientId());
                byInstance.computeIfAbsent(instance, name -> new TreeSet<>()).addAll(partitionsOf(
                        member.assignment().topicPartitions()));
            }
            assertThat(byInstance).containsOnlyKeys("first", "second")
                    .allSatisfy((instance, partitions) -> assertThat(partitions).as(instance).isNotEmpty());
            assertThat(byInstance.get("first")).doesNotContainAnyElementsOf(byInstance.get("second"));
            Set<Integer> inTheGroup = new TreeSet<>(byInstance.get("first"));
            inTheGroup.addAll(byInstance.get("second"));
            assertThat(inTheGroup).containsExactlyElementsOf(allPartitions());
            assertThat(describeGroup().members()).as("consumers in the group").hasSize(4);
        });
        assertThat(first.everAssigned).as("partitions the first instance ever had").isNotEmpty();
        assertThat(second.everAssigned).as("partitions the second instance ever had").isNotEmpty();
    }

    /** Wave 0: every user and their session start, then each wave the next messages of every session. */
    private static List<Published> wave(EventLog events, int wave) {
        List<Published> records = new ArrayList<>();
        for (SessionStory story : stories) {
            if (wave == 0) {
                records.add(events.append(story.userRegistered()));
                records.add(events.append(story.sessionStarted(events.now().plusSeconds(1))));
            }
            for (int n = wave * MESSAGES_PER_WAVE + 1; n <= (wave + 1) * MESSAGES_PER_WAVE; n++) {
                MessageRole role = n % 2 == 1 ? MessageRole.USER : MessageRole.ASSISTANT;
                records.add(events.append(story.message(n, role, "message " + n + " of " + story.sessionId, n)));
            }
        }
        return records;
    }

    /** Sends the records in order, {@code pace} apart, and waits until the broker has them all. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Holds, on a connection of this test, the advisory lock {@link Bookkeeping#lock} takes for each session of
     * the gateway read model, so that every batch with a session event waits, until {@code step} is done.
     */
    private static void stallEverySessionWhile(Step step) throws Exception {
        try (Connection stall = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
             PreparedStatement lock = stall.prepareStatement("SELECT pg_advisory_lock(?)")) {
            for (SessionStory story : stories) {
                lock.setLong(1, (GatewayProjector.READ_MODEL + "/" + story.sessionId).hashCode());
                lock.executeQuery().close();
            }
            step.run();
        } // closing the connection releases its locks
    }

    private static void produce(KafkaProducer<String, byte[]> producer, List<Published> records, Duration pace)
            throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Published record : records) {
            sent.add(producer.send(record.producerRecord()));
            if (!pace.isZero()) {
                Thread.sleep(pace.toMillis());
            }
        }
        producer.flush();
        for (Future<RecordMetadata> metadata : sent) {
            partitionsWritten.add(metadata.get(10, TimeUnit.SECONDS).partition());
        }
        messagesProduced += (int) records.stream().filter(record -> record.event() instanceof MessagePosted).count();
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /**
     * A trigger of this test's own, in a schema of its own: records each message insert the projection attempts,
     * in the attempting transaction (so only committed attempts remain).
     */
    private static void countMessageInsertsAttempted() {
        jdbc.execute("CREATE SCHEMA two_instances_it");
        jdbc.execute("""
                CREATE TABLE two_instances_it.message_insert_attempt (
                    message_id UUID NOT NULL,
                    txid       BIGINT NOT NULL DEFAULT txid_current())""");
        jdbc.execute("""
                CREATE FUNCTION two_instances_it.record_message_insert() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO two_instances_it.message_insert_attempt (message_id) VALUES (NEW.id);
                    RETURN NEW;
                END $$""");
        jdbc.execute("""
                CREATE TRIGGER two_instances_it_record_message_insert BEFORE INSERT ON gateway.chat_messages
                FOR EACH ROW EXECUTE FUNCTION two_instances_it.record_message_insert()""");
    }

    private static ConsumerGroupDescription describeGroup() {
        return broker.doWithAdminFunction(admin -> {
            try {
                return admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The partitions of the event topic among these. */
    private static Set<Integer> partitionsOf(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .filter(partition -> partition.topic().equals(CloudEventRecords.TOPIC))
                .map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Integer> allPartitions() {
        return IntStream.range(0, CloudEventRecords.PARTITIONS).boxed().toList();
    }

    /** One projection-service application, closed and started again at will; remembers its partitions. */
    static final class Instance {

        final String name;
        final Set<Integer> everAssigned = ConcurrentHashMap.newKeySet();
        /** What the meters of its closed lives counted, by name. */
        final Map<String, Long> countedBefore = new ConcurrentHashMap<>();
        volatile ConfigurableApplicationContext context;
        int starts;

        Instance(String name) {
            this.name = name;
        }

        void start() {
            long began = System.nanoTime();
            List<String> arguments = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                    "--transcript.projection.parked.drain-interval=100ms",
                    "--spring.kafka.client-id=" + CLIENT_ID + name,
                    "--spring.kafka.consumer.properties.max.poll.interval.ms=" + POLL_INTERVAL.toMillis()));
            database.springProperties().forEach((key, value) -> arguments.add("--" + key + "=" + value));
            // Command-line arguments: they outrank application.yml, where default properties would not.
            context = new SpringApplicationBuilder(ProjectionServiceApplication.class)
                    .bannerMode(Banner.Mode.OFF)
                    .run(arguments.toArray(String[]::new));
            starts++;
            log.info("{} instance started ({}) in {} ms", name, starts,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }

        void close() {
            if (context != null) {
                long began = System.nanoTime();
                everAssigned.addAll(assigned());
                String applied = jdbc.queryForObject("SELECT count(*) FROM gateway.chat_messages", Integer.class)
                        + " of " + messagesProduced + " messages so far";
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                context.close();
                context = null;
                Map<String, Long> counted = new TreeMap<>();
                for (String what : List.of("applied", "duplicates", "parked")) {
                    counted.put(what, count(meters, what));
                    countedBefore.merge(what, count(meters, what), Long::sum);
                }
                log.info("{} instance closed in {} ms with {}; in this life it counted {}", name,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), applied, counted);
            }
        }

        /** transcript.projection.{what} (applied, duplicates, parked) of the gateway, over all its lives. */
        long counted(String what) {
            ConfigurableApplicationContext running = context;
            long now = running == null ? 0 : count(running.getBean(MeterRegistry.class), what);
            return countedBefore.getOrDefault(what, 0L) + now;
        }

        private static long count(MeterRegistry meters, String what) {
            Counter counter = meters.find("transcript.projection." + what)
                    .tag("read_model", GatewayProjector.READ_MODEL).counter();
            return counter == null ? 0 : (long) counter.count();
        }

        /** The partitions of the event topic its listener's consumers have now. */
        Set<Integer> assigned() {
            ConfigurableApplicationContext running = context;
            if (running == null) {
                return Set.of();
            }
            MessageListenerContainer container = running.getBean(KafkaListenerEndpointRegistry.class)
                    .getListenerContainer(GatewayProjector.READ_MODEL);
            Collection<TopicPartition> partitions = container == null ? null : container.getAssignedPartitions();
            Set<Integer> assigned = partitions == null ? Set.of() : partitionsOf(partitions);
            everAssigned.addAll(assigned);
            return assigned;
        }

        void awaitPartitions() {
            await(name + " instance has partitions").atMost(REJOINS).pollInterval(Duration.ofMillis(50))
                    .until(() -> !assigned().isEmpty());
        }
    }
}
