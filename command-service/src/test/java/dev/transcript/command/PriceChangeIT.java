package dev.transcript.command;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8: a charge costs what the price list in force when it was recorded says, and a later change of the
 * list changes no recorded cost. One database, two runs of command-service with two prices for the same model,
 * as a deployment that changes its configuration would have them.
 *
 * <p>Between the runs the publisher's position is forgotten, as for a replay of the store, so the second run
 * publishes the first charge again: a cost computed when an event is read, loaded or published, rather than
 * when it is recorded, would show the second run's prices on the topic, in the event store or in the audit API.
 */
class PriceChangeIT {

    static final String MODEL = "gpt-4o";
    static final int INPUT_TOKENS = 1_234;
    static final int OUTPUT_TOKENS = 567;
    /** (1,234 × 2.50 + 567 × 10.00) / 1,000,000 */
    static final Charge BEFORE = new Charge("2.5", "10", "0.008755");
    /** (1,234 × 5.0125 + 567 × 20.00) / 1,000,000: a price with 4 decimal places, the most allowed. */
    static final Charge AFTER = new Charge("5.0125", "20", "0.017525425");
    static final Duration PUBLICATION = Duration.ofSeconds(30);
    /** application.yml's, which neither run overrides. */
    static final String TOPIC = "transcript.events";
    /** Decimals as BigDecimal, so a stored cost is compared exactly as it was written. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static EmbeddedKafkaKraftBroker kafka;
    static TestDatabase database;

    record Charge(String inputPricePerMillion, String outputPricePerMillion, String cost) {
    }

    @BeforeAll
    static void infrastructure() {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        database = TestDatabase.create("price_change");
    }

    @AfterAll
    static void stopInfrastructure() {
        kafka.destroy();
        database.drop();
    }

    @Test
    void a_charge_keeps_the_price_in_force_when_it_was_recorded_after_the_price_list_changes() {
        String sessionId;
        String first;
        try (ConfigurableApplicationContext service = startService("2.50", "10.00")) {
            Http http = httpOf(service);
            sessionId = startChatSession(http);
            first = recordCharge(http, sessionId);
            // On the topic before this run stops: the first publication of the charge is this run's.
            awaitRecords(sessionId, records -> records.size() >= 2);
        }
        forgetWhatWasPublished();

        try (ConfigurableApplicationContext service = startService("5.0125", "20.00")) {
            Http http = httpOf(service);
            String second = recordCharge(http, sessionId);
            List<Record> records = awaitRecords(sessionId,
                    published -> ofUsage(published, first).size() >= 2 && !ofUsage(published, second).isEmpty());

            assertThat(ofUsage(records, first)).as("published by each run")
                    .allSatisfy(record -> assertPricedAt(record.cloudEvent().path("data"), BEFORE));
            assertThat(ofUsage(records, second))
                    .allSatisfy(record -> assertPricedAt(record.cloudEvent().path("data"), AFTER));

            Map<String, JsonNode> stored = storedCharges(service.getBean(JdbcTemplate.class), sessionId);
            assertThat(stored).containsOnlyKeys(first, second);
            assertPricedAt(stored.get(first), BEFORE);
            assertPricedAt(stored.get(second), AFTER);

            Map<String, JsonNode> audited = auditedCharges(http, sessionId);
            assertThat(audited).containsOnlyKeys(first, second);
            assertPricedAt(audited.get(first), BEFORE);
            assertPricedAt(audited.get(second), AFTER);
        }
    }

    private static void assertPricedAt(JsonNode charge, Charge expected) {
        assertThat(charge.path("model").asText()).isEqualTo(MODEL);
        assertThat(decimal(charge, "inputPricePerMillion")).isEqualTo(new BigDecimal(expected.inputPricePerMillion()));
        assertThat(decimal(charge, "outputPricePerMillion"))
                .isEqualTo(new BigDecimal(expected.outputPricePerMillion()));
        assertThat(decimal(charge, "cost")).isEqualTo(new BigDecimal(expected.cost()));
        assertThat(charge.path("currency").asText()).isEqualTo("USD");
    }

    /** Read from the digits as written: the audit API's client reads decimals as doubles, the others do not. */
    private static BigDecimal decimal(JsonNode charge, String field) {
        return new BigDecimal(charge.path(field).asText());
    }

    /** The publisher starts from the beginning of the store when it has no position, as a replay does. */
    private static void forgetWhatWasPublished() {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password())) {
            int forgotten = connection.createStatement()
                    .executeUpdate("DELETE FROM eventstore.token_entry WHERE processor_name = 'kafka-publisher'");
            assertThat(forgotten).as("the publisher's position").isPositive();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each stored charge's payload by its usage id, as the event store's row holds it. */
    private static Map<String, JsonNode> storedCharges(JdbcTemplate jdbc, String sessionId) {
        Map<String, JsonNode> charges = new HashMap<>();
        jdbc.query("""
                SELECT payload FROM eventstore.domain_event_entry
                WHERE aggregate_identifier = ? AND payload_type = ? ORDER BY sequence_number""",
                row -> {
                    JsonNode payload = parse(row.getBytes("payload"));
                    charges.put(payload.path("usageId").asText(), payload);
                }, sessionId, TokenUsageRecorded.class.getName());
        return charges;
    }

    private static Map<String, JsonNode> auditedCharges(Http http, String sessionId) {
        Http.Answer audit = expect(200, http.get("/api/audit/sessions/" + sessionId + "/events"));
        Map<String, JsonNode> charges = new HashMap<>();
        for (JsonNode event : audit.body()) {
            if (event.path("type").asText().equals("transcript.session.TokenUsageRecorded.v2")) {
                charges.put(event.path("payload").path("usageId").asText(), event.path("payload"));
            }
        }
        return charges;
    }

    private static List<Record> awaitRecords(String sessionId, Predicate<List<Record>> condition) {
        return TopicRecords.awaitKey(kafka.getBrokersAsString(), TOPIC, sessionId, condition, PUBLICATION);
    }

    private static List<Record> ofUsage(List<Record> records, String usageId) {
        return records.stream()
                .filter(record -> record.cloudEvent().path("data").path("usageId").asText().equals(usageId))
                .toList();
    }

    private static String startChatSession(Http http) {
        String userId = expect(201, http.post("/api/users", json("email", "prices@example.com",
                "password", "correct horse battery", "role", "user"))).text("id");
        return expect(201, http.post("/api/chat-sessions", json("userId", userId))).text("sessionId");
    }

    private static String recordCharge(Http http, String sessionId) {
        return expect(201, http.post("/api/sessions/" + sessionId + "/token-usage", json("model", MODEL,
                "inputTokens", INPUT_TOKENS, "outputTokens", OUTPUT_TOKENS))).text("usageId");
    }

    /** command-service on this class's database and broker, with the given price of {@link #MODEL}. */
    private static ConfigurableApplicationContext startService(String inputPerMillion, String outputPerMillion) {
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
        properties.put("transcript.users.bcrypt-cost", 4);
        properties.put("transcript.pricing.models[" + MODEL + "].input-per-million", inputPerMillion);
        properties.put("transcript.pricing.models[" + MODEL + "].output-per-million", outputPerMillion);
        // As command-line arguments: they outrank application.yml (builder "properties" would not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(CommandServiceApplication.class).run(args);
    }

    private static Http httpOf(ConfigurableApplicationContext context) {
        return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }
}
