package dev.transcript.projection.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.LocalInfrastructure;
import dev.transcript.projection.builder.BuilderProjector;
import dev.transcript.projection.chat.ChatProjector;
import dev.transcript.projection.chatapp.ChatAppProjector;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.todo.TodoProjector;
import dev.transcript.projection.support.CloudEventRecords;
import dev.transcript.projection.support.DeadLetterTopic;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Records that can never be applied, through the real broker and listeners: every read model sends each to
 * {@code transcript.events.DLT} unchanged, with spring-kafka's dead-letter headers naming where it came from and
 * why, and the records behind it in its partition are applied. An event of a type this build does not know is
 * not poison: it is skipped, counted, and its aggregate goes on.
 */
@LocalInfrastructure
class PoisonRecordIT {

    static final Duration LANDS = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FUTURE_TYPE = "transcript.session.MessagePosted.v9";
    /** Every read model: each one's consumer group meets a poison record on its own, and dead-letters it on its own. */
    static final List<String> READ_MODELS = List.of(GatewayProjector.READ_MODEL, BuilderProjector.READ_MODEL,
            TodoProjector.READ_MODEL, ChatProjector.READ_MODEL, ChatAppProjector.READ_MODEL);

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    RecordBatches batches;
    @Autowired
    GatewayProjector projector;
    @Autowired
    List<Projector> projectors;
    /**
     * The brokers this context was built with: ${spring.kafka.bootstrap-servers} read when the test instance is
     * made would follow the embedded broker of whichever test class started one last.
     */
    @Autowired
    KafkaProperties kafkaProperties;

    static Stream<Arguments> poison() {
        return Stream.of(
                arguments("a value that is not JSON",
                        poison(story -> utf8("{ this is not JSON")),
                        "not a CloudEvent in structured JSON"),
                arguments("JSON that is not a CloudEvent",
                        poison(story -> utf8("{\"id\":\"" + story.userId + "\",\"hello\":\"world\"}")),
                        "not a CloudEvent in structured JSON"),
                arguments("a CloudEvent without its sequence",
                        poison(story -> CloudEventRecords.serialize(CloudEventRecords
                                .builder(story.userRegistered(), 0, Instant.now()).withoutExtension("sequence").build())),
                        "lacks subject, time or an integer sequence"),
                arguments("a CloudEvent whose subject is not its event's aggregate",
                        poison(story -> CloudEventRecords.serialize(CloudEventRecords
                                .builder(story.userRegistered(), 0, Instant.now())
                                .withSubject(UUID.randomUUID().toString()).build())),
                        "is not the event's aggregate"),
                // Another user's registration, in this user's partition (the key): a poison event that names its
                // aggregate and sequence moves that aggregate past it, so it must not be this user's sequence 0.
                arguments("a CloudEvent whose data does not fit its type",
                        poison(story -> CloudEventRecords.serialize(CloudEventRecords
                                .builder(story.userRegistered(), 0, Instant.now())
                                .withSubject(UUID.randomUUID().toString())
                                .withData("application/json", withField(story.userRegistered(), "role", "superuser"))
                                .build())),
                        "data does not fit transcript.user.UserRegistered.v1"),
                arguments("a record without a value",
                        poison(story -> null),
                        "no value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poison")
    void a_poison_record_is_dead_lettered_unchanged_and_the_records_behind_it_are_applied(
            String what, Function<SessionStory, byte[]> poisonOf, String reason) throws Exception {
        SessionStory story = new SessionStory();
        EventLog log = new EventLog();
        String key = story.userId.toString();
        byte[] poison = poisonOf.apply(story);

        RecordMetadata poisoned = send(new ProducerRecord<>(CloudEventRecords.TOPIC, key, poison));
        // Behind it in its partition: the user's real registration; then the user's session in its own partition.
        RecordMetadata registered = send(log.append(story.userRegistered()).producerRecord());
        assertThat(registered.partition()).isEqualTo(poisoned.partition());
        send(log.append(story.sessionStarted(log.now().plusSeconds(1))).producerRecord());
        send(log.append(story.message(1, MessageRole.USER, "hello", 3)).producerRecord());

        for (String readModel : READ_MODELS) {
            ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(), readModel,
                    poisoned.partition(), poisoned.offset(), LANDS);
            assertIsTheDeadLetterOf(deadLetter, poisoned, key, poison, reason, readModel);
        }

        GatewayTables tables = new GatewayTables(jdbc);
        await("the records behind the poison applied").atMost(LANDS).untilAsserted(() -> {
            assertThat(tables.row("users", story.userId)).containsEntry("email", story.email);
            assertThat(tables.row("conversations", story.conversationId)).containsEntry("messages_count", 1);
        });
        assertThat(tables.row("chat_messages", story.messageId(1))).containsEntry("content", "hello");
    }

    @Test
    void the_read_models_awaited_for_a_dead_letter_are_every_projector_of_the_service() {
        assertThat(projectors).extracting(Projector::readModel).containsExactlyInAnyOrderElementsOf(READ_MODELS);
    }

    @Test
    void an_event_of_an_unknown_type_is_skipped_and_counted_and_its_aggregates_next_event_applies() throws Exception {
        SessionStory story = new SessionStory();
        EventLog log = new EventLog();
        double skippedBefore = skipped(FUTURE_TYPE);

        send(log.append(story.userRegistered()).producerRecord());
        send(log.append(story.sessionStarted(log.now().plusSeconds(1))).producerRecord());
        Published future = log.append(story.message(1, MessageRole.USER, "from a newer producer", 1),
                builder -> builder.withType(FUTURE_TYPE)
                        .withDataSchema(URI.create("urn:transcript:schema:" + FUTURE_TYPE)));
        send(future.producerRecord());
        Published next = log.append(story.message(1, MessageRole.USER, "hello", 3));
        send(next.producerRecord());

        GatewayTables tables = new GatewayTables(jdbc);
        await("the next event of the session applied").atMost(LANDS).untilAsserted(() -> {
            assertThat(tables.row("chat_messages", story.messageId(1))).containsEntry("content", "hello");
            assertThat(lastSequenceOf(story.sessionId.toString())).isEqualTo(next.sequence());
        });
        assertThat(future.sequence()).isEqualTo(1L);
        assertThat(next.sequence()).isEqualTo(2L);
        assertThat(tables.row("conversations", story.conversationId)).containsEntry("messages_count", 1);
        assertThat(skipped(FUTURE_TYPE)).as("transcript.projection.skipped{type=%s}", FUTURE_TYPE)
                .isEqualTo(skippedBefore + 1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Integer.class, story.sessionId.toString())).isZero();
    }

    static Stream<Arguments> dataMissingARequiredField() {
        return Stream.of(
                arguments("its aggregate id (userId)", "{\"email\":\"ada@example.com\",\"role\":\"user\"}"),
                arguments("its role", "{\"userId\":\"%s\",\"email\":\"ada@example.com\",\"passwordHash\":\"x\"}"));
    }

    /**
     * A CloudEvent of a known type whose data lacks a required field: Jackson leaves the record component
     * null, so the decoder must refuse it as poison (the schema makes every non-@Nullable field required)
     * rather than let a NullPointerException make the listener retry the poll for ever.
     */
    @ParameterizedTest(name = "data without {0}")
    @MethodSource("dataMissingARequiredField")
    void a_cloud_event_whose_data_lacks_a_required_field_is_dead_lettered_not_thrown(String missing, String data) {
        SessionStory story = new SessionStory();
        byte[] poison = CloudEventRecords.serialize(CloudEventRecords.builder(story.userRegistered(), 0, Instant.now())
                .withData("application/json", utf8(data.formatted(story.userId)))
                .build());
        String key = story.userId.toString();
        int partition = CloudEventRecords.partitionOf(key);
        long offset = 4_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000);

        assertThatCode(() -> batches.apply(projector,
                List.of(new ConsumerRecord<>(CloudEventRecords.TOPIC, partition, offset, key, poison))))
                .doesNotThrowAnyException();

        ConsumerRecord<String, byte[]> deadLetter = DeadLetterTopic.awaitDeadLetterOf(brokers(),
                GatewayProjector.READ_MODEL, partition, offset, LANDS);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
                .contains("data does not fit transcript.user.UserRegistered.v1");
        assertThat(new GatewayTables(jdbc).row("users", story.userId)).isEmpty();
    }

    /** The record as it was, with the dead-letter headers naming where it came from, why, and which read model. */
    private static void assertIsTheDeadLetterOf(ConsumerRecord<String, byte[]> deadLetter, RecordMetadata poisoned,
                                                String key, byte[] poison, String reason, String readModel) {
        String of = "the dead letter of " + readModel;
        assertThat(deadLetter.key()).as(of).isEqualTo(key);
        assertThat(deadLetter.value()).as("%s: the record's value, unchanged", of).isEqualTo(poison);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).as(of)
                .isEqualTo(CloudEventRecords.TOPIC);
        assertThat(DeadLetterTopic.intHeader(deadLetter, KafkaHeaders.DLT_ORIGINAL_PARTITION)).as(of)
                .isEqualTo(poisoned.partition());
        assertThat(DeadLetterTopic.longHeader(deadLetter, KafkaHeaders.DLT_ORIGINAL_OFFSET)).as(of)
                .isEqualTo(poisoned.offset());
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).as(of).contains(reason);
        assertThat(DeadLetterTopic.text(deadLetter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).as(of)
                .isEqualTo(readModel);
    }

    private double skipped(String type) {
        Counter counter = meters.find("transcript.projection.skipped").tags("read_model", "gateway", "type", type)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private Long lastSequenceOf(String aggregateId) {
        return jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'gateway' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }

    private RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
        return kafka.send(record).get(10, TimeUnit.SECONDS).getRecordMetadata();
    }

    /** Names the lambda's type for {@link #poison()}'s arguments. */
    private static Function<SessionStory, byte[]> poison(Function<SessionStory, byte[]> value) {
        return value;
    }

    static byte[] withField(Object event, String field, String value) {
        try {
            ObjectNode data = (ObjectNode) JSON.readTree(CloudEventRecords.json(event));
            data.put(field, value);
            return JSON.writeValueAsBytes(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private String brokers() {
        return String.join(",", kafkaProperties.getBootstrapServers());
    }
}
