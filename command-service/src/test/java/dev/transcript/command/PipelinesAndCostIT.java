package dev.transcript.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.command.support.EventSchemas;
import dev.transcript.command.support.Http;
import dev.transcript.command.support.TopicRecords;
import dev.transcript.command.support.TopicRecords.Record;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pipeline runs and priced token charges driven over real HTTP, read back from the topic as CloudEvents valid
 * against their schemas: a run's duration measured from its recorded start, a known model's charge with its
 * exact cost written as plain digits, an unknown model's with its cost unknown.
 */
@LocalInfrastructure
class PipelinesAndCostIT {

    static final Duration PUBLICATION = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    /** The brokers this context was built with (see WholeSessionScenario). */
    @Autowired
    KafkaProperties kafka;
    String brokers;
    @Value("${transcript.kafka.topic}")
    String topic;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
        brokers = String.join(",", kafka.getBootstrapServers());
    }

    @Test
    void pipeline_runs_reach_the_topic_as_cloud_events_valid_against_their_schemas() {
        String userId = registerUser();
        Instant beforeStart = Instant.now();
        String completed = expect(201, http.post("/api/pipelines", json("userId", userId,
                "pipelineName", " summarise-repository ", "input", Map.of("repository", "transcript", "depth", 2,
                        "files", List.of("README.md", "pom.xml"))))).text("id");
        // The duration is the service's to measure: let some of it pass after the start, on the wall clock, polling.
        Instant afterStart = Instant.now();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
               .until(() -> Duration.between(afterStart, Instant.now()).toMillis() > 50);
        expect(200, http.post("/api/pipelines/" + completed + "/complete", json("output",
                Map.of("summary", "an event-sourced backend", "tokens", 1_801))));
        long elapsedMillis = Duration.between(beforeStart, Instant.now()).toMillis();

        String failed = expect(201, http.post("/api/pipelines", json("userId", userId,
                "pipelineName", "nightly-index"))).text("id");
        String error = "IndexError: list index out of range\n  File \"index.py\", line 42, in build\n";
        expect(200, http.post("/api/pipelines/" + failed + "/fail", json("errorMessage", error)));
        String bodiless = expect(201, http.post("/api/pipelines", json("userId", userId,
                "pipelineName", "warm-cache", "input", null))).text("id");
        expect(200, http.post("/api/pipelines/" + bodiless + "/complete", ""));

        List<Record> completedRecords = awaitRecords(completed, 2);
        List<Record> failedRecords = awaitRecords(failed, 2);
        List<Record> bodilessRecords = awaitRecords(bodiless, 2);

        assertThat(completedRecords).extracting(Record::type).containsExactly(
                "transcript.pipeline.PipelineStarted.v1", "transcript.pipeline.PipelineCompleted.v1");
        assertThat(failedRecords).extracting(Record::type).containsExactly(
                "transcript.pipeline.PipelineStarted.v1", "transcript.pipeline.PipelineFailed.v1");
        List<Record> all = new ArrayList<>(completedRecords);
        all.addAll(failedRecords);
        all.addAll(bodilessRecords);
        assertThat(all.stream().map(Record::type).distinct()).containsExactlyInAnyOrderElementsOf(
                EventCatalog.current().stream().filter(type -> type.stream().equals("pipeline"))
                        .map(EventType::typeName).toList());
        all.forEach(PipelinesAndCostIT::assertIsValidCloudEvent);

        JsonNode started = data(completedRecords, 0);
        assertThat(started.path("userId").asText()).isEqualTo(userId);
        assertThat(started.path("pipelineName").asText()).isEqualTo("summarise-repository");
        assertThat(started.path("input").path("files").path(1).asText()).isEqualTo("pom.xml");
        JsonNode done = data(completedRecords, 1);
        assertThat(done.path("output").path("tokens").asInt()).isEqualTo(1_801);
        // From the recorded start (kept to the millisecond) to the completion: at least the 50 ms waited between
        // them, at most the whole window around both requests.
        assertThat(done.path("durationMs").asLong()).isBetween(50L, elapsedMillis + 1);
        JsonNode failure = data(failedRecords, 1);
        assertThat(failure.path("errorMessage").asText()).as("kept as reported").isEqualTo(error);
        assertThat(failure.path("durationMs").asLong()).isNotNegative();
        assertThat(data(bodilessRecords, 0).path("input").isObject()).isTrue();
        assertThat(data(bodilessRecords, 0).path("input")).isEmpty();
        assertThat(data(bodilessRecords, 1).path("output").isObject()).isTrue();
        assertThat(data(bodilessRecords, 1).path("output")).isEmpty();
    }

    @Test
    void a_charge_is_published_with_the_exact_cost_of_its_model_or_its_cost_unknown() {
        String sessionId = expect(201, http.post("/api/chat-sessions", json("userId", registerUser())))
                .text("sessionId");
        String usage = "/api/sessions/" + sessionId + "/token-usage";
        expect(201, http.post(usage, json("model", "gpt-4o", "inputTokens", 1_234, "outputTokens", 567)));
        expect(201, http.post(usage, json("model", "gpt-4o-mini", "inputTokens", 1, "outputTokens", 0)));
        expect(201, http.post(usage, json("model", "claude-haiku-3.5", "inputTokens", 1_000_000,
                "outputTokens", 250_000)));
        expect(201, http.post(usage, json("model", "llama-70b", "inputTokens", 1_234, "outputTokens", 567)));

        List<Record> records = awaitRecords(sessionId, 5);
        List<Record> charges = records.subList(1, 5);
        assertThat(charges).extracting(Record::type).containsOnly("transcript.session.TokenUsageRecorded.v2");
        records.forEach(PipelinesAndCostIT::assertIsValidCloudEvent);

        // (1,234 × 2.50 + 567 × 10.00) / 1,000,000
        JsonNode priced = data(charges, 0);
        assertThat(priced.path("inputPricePerMillion").decimalValue()).isEqualTo(new BigDecimal("2.5"));
        assertThat(priced.path("outputPricePerMillion").decimalValue()).isEqualTo(new BigDecimal("10"));
        assertThat(priced.path("cost").decimalValue()).isEqualTo(new BigDecimal("0.008755"));
        assertThat(priced.path("currency").asText()).isEqualTo("USD");
        // One token at 0.15 per million: exact, and written as digits, never as 1.5E-7.
        assertThat(data(charges, 1).path("cost").decimalValue()).isEqualTo(new BigDecimal("0.00000015"));
        assertThat(charges.get(1).value()).contains("\"cost\":0.00000015").doesNotContain("E-");
        // A dotted model name, bound from its bracketed key: (1,000,000 × 0.80 + 250,000 × 4.00) / 1,000,000
        assertThat(data(charges, 2).path("cost").decimalValue()).isEqualTo(new BigDecimal("1.8"));
        JsonNode unknown = data(charges, 3);
        assertThat(unknown.path("inputPricePerMillion").isNull()).isTrue();
        assertThat(unknown.path("outputPricePerMillion").isNull()).isTrue();
        assertThat(unknown.path("cost").isNull()).as("unknown, not zero").isTrue();
        assertThat(unknown.path("currency").asText()).isEqualTo("USD");
        assertThat(unknown.path("totalTokens").asInt()).isEqualTo(1_801);
    }

    private static void assertIsValidCloudEvent(Record record) {
        JsonNode event = record.cloudEvent();
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("source").asText()).isEqualTo("/transcript/command-service");
        assertThat(event.path("subject").asText()).isEqualTo(record.key());
        assertThat(event.path("partitionkey").asText()).isEqualTo(record.key());
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("sequence").isIntegralNumber()).isTrue();
        assertThat(EventSchemas.violations(record.type(), event.path("data"))).as(record.type()).isEmpty();
    }

    private List<Record> awaitRecords(String key, int count) {
        return TopicRecords.awaitKey(brokers, topic, key, records -> records.size() >= count, PUBLICATION);
    }

    private static JsonNode data(List<Record> records, int index) {
        return records.get(index).cloudEvent().path("data");
    }

    private String registerUser() {
        return expect(201, http.post("/api/users", json("email", "pipelines+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"))).text("id");
    }

    private static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }
}
