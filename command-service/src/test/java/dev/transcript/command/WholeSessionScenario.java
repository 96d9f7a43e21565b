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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One whole sandbox session driven over HTTP, then read back from the Kafka topic as a downstream
 * consumer sees it. Runs on whatever infrastructure the subclass provides.
 */
abstract class WholeSessionScenario {

    static final Duration PUBLICATION = Duration.ofSeconds(30);
    static final List<String> SESSION_EVENT_TYPES = List.of(
            "SessionStarted", "ContainerCreated", "ContainerStarted", "SessionActivated", "ContainerExposed",
            "ContainerLabeled", "ConversationTitled", "MessagePosted", "MessagePosted", "MessagePosted",
            "CheckpointCreated", "FileStored", "TokenUsageRecorded", "TokenUsageRecorded", "SessionExtended",
            "FileDeleted", "SessionStopped", "ContainerStopped", "ContainerDeleted");
    static final int FIRST_MESSAGE = SESSION_EVENT_TYPES.indexOf("MessagePosted");
    static final List<String> CHAT_EVENT_TYPES = List.of(
            "ChatSessionStarted", "MessagePosted", "MessagePosted", "TokenUsageRecorded", "ConversationTitled",
            "SessionStopped");

    @LocalServerPort
    int port;
    /**
     * The brokers this context was built with, not ${spring.kafka.bootstrap-servers} read now: that resolves
     * through the system property every embedded broker sets as it starts, so in a context reused after
     * another test class started (or stopped) a broker it names the wrong one.
     */
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
    void a_whole_session_reaches_the_topic_in_order_as_valid_cloud_events() {
        String userId = registerUser();
        Http.Answer started = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600));
        assertThat(started.status()).isEqualTo(201);
        String sessionId = started.text("sessionId");
        runSession(sessionId);

        List<Record> sessionRecords = TopicRecords.awaitKey(brokers, topic, sessionId,
                records -> records.size() >= SESSION_EVENT_TYPES.size(), PUBLICATION);
        List<Record> userRecords = TopicRecords.awaitKey(brokers, topic, userId, records -> !records.isEmpty(),
                PUBLICATION);

        assertThat(sessionRecords).extracting(Record::type)
                .containsExactlyElementsOf(SESSION_EVENT_TYPES.stream().map(WholeSessionScenario::sessionType).toList());
        assertThat(sessionRecords).extracting(Record::sequence)
                .containsExactlyElementsOf(IntStream.range(0, SESSION_EVENT_TYPES.size()).mapToObj(i -> (long) i).toList());
        assertThat(sessionRecords).extracting(Record::partition).containsOnly(sessionRecords.getFirst().partition());
        assertThat(userRecords).extracting(Record::type).containsExactly("transcript.user.UserRegistered.v1");

        List<Record> all = new ArrayList<>(sessionRecords);
        all.addAll(userRecords);
        assertThat(new HashSet<>(all.stream().map(Record::id).toList())).hasSize(all.size());
        all.forEach(record -> assertIsValidCloudEvent(record));
        JsonNode firstMessage = sessionRecords.get(FIRST_MESSAGE).cloudEvent().path("data");
        assertThat(firstMessage.path("messageNumber").asInt()).isEqualTo(1);
        assertThat(firstMessage.path("conversationId").asText()).isEqualTo(started.text("conversationId"));
        assertThat(firstMessage.path("attachments").path(0).path("fileName").asText()).isEqualTo("sketch.png");
        assertThat(firstMessage.path("metadata").path("client").asText()).isEqualTo("web");
        assertThat(firstMessage.path("toolCalls").isNull()).isTrue();
        assertThat(firstMessage.path("model").isNull()).isTrue();
        JsonNode titled = sessionRecords.get(SESSION_EVENT_TYPES.indexOf("ConversationTitled")).cloudEvent().path("data");
        assertThat(titled.path("title").asText()).isEqualTo("A todo app");
        JsonNode exposed = sessionRecords.get(SESSION_EVENT_TYPES.indexOf("ContainerExposed")).cloudEvent().path("data");
        assertThat(exposed.path("assignedPort").asInt()).isEqualTo(49_153);
        assertThat(userRecords.getFirst().cloudEvent().path("data").path("passwordHash").asText())
                .startsWith("$2").doesNotContain("correct horse");
    }

    @Test
    void the_audit_api_answers_the_session_as_the_topic_carries_it() {
        String sessionId = http.post("/api/sessions", json("userId", registerUser(), "ttlSeconds", 3600))
                .text("sessionId");
        runSession(sessionId);

        List<Record> records = TopicRecords.awaitKey(brokers, topic, sessionId,
                found -> found.size() >= SESSION_EVENT_TYPES.size(), PUBLICATION);
        Http.Answer audit = http.get("/api/audit/sessions/" + sessionId + "/events");

        assertThat(audit.status()).isEqualTo(200);
        List<String> auditedIds = new ArrayList<>();
        audit.body().forEach(event -> auditedIds.add(event.path("eventId").asText()));
        assertThat(auditedIds).containsExactlyElementsOf(records.stream().map(Record::id).toList());
        assertThat(audit.body().get(FIRST_MESSAGE).path("payload").path("content").asText()).isEqualTo("hello");
        assertThat(audit.body().get(FIRST_MESSAGE).path("type").asText()).isEqualTo("transcript.session.MessagePosted.v2");
    }

    @Test
    void a_chat_session_reaches_the_topic_with_its_title_and_tool_calls() {
        String userId = registerUser();
        String chatId = runChat(userId);

        List<Record> records = TopicRecords.awaitKey(brokers, topic, chatId,
                found -> found.size() >= CHAT_EVENT_TYPES.size(), PUBLICATION);

        assertThat(records).extracting(Record::type)
                .containsExactlyElementsOf(CHAT_EVENT_TYPES.stream().map(WholeSessionScenario::sessionType).toList());
        JsonNode started = records.getFirst().cloudEvent().path("data");
        assertThat(started.path("userId").asText()).isEqualTo(userId);
        assertThat(started.path("title").asText()).isEqualTo("Dinner ideas");
        JsonNode reply = records.get(2).cloudEvent().path("data");
        assertThat(reply.path("messageNumber").asInt()).isEqualTo(2);
        assertThat(reply.path("model").asText()).isEqualTo("claude-sonnet-4");
        assertThat(reply.path("toolCalls").path(0).path("name").asText()).isEqualTo("search_recipes");
        assertThat(reply.path("toolCalls").path(0).path("input").path("query").asText()).isEqualTo("risotto");
        assertThat(records.get(4).cloudEvent().path("data").path("title").asText()).isEqualTo("Risotto");
        // claude-sonnet-4 at the shipped 3.00 / 15.00 per million tokens: (300 × 3 + 40 × 15) / 1,000,000, exactly.
        JsonNode charge = records.get(CHAT_EVENT_TYPES.indexOf("TokenUsageRecorded")).cloudEvent().path("data");
        assertThat(charge.path("cost").decimalValue()).isEqualTo(new BigDecimal("0.0015"));
        assertThat(charge.path("currency").asText()).isEqualTo("USD");
        records.forEach(this::assertIsValidCloudEvent);
    }

    @Test
    void every_event_type_the_service_publishes_validates_against_its_schema() {
        String userId = registerUser();
        expect(200, http.post("/api/users/" + userId + "/role", json("role", "admin")));
        runAccount(userId);
        String happy = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        runSession(happy);
        String failing = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)).text("sessionId");
        expect(201, http.post("/api/sessions/" + failing + "/container", json("containerId", "dead" + System.nanoTime(),
                "containerName", "doomed-" + failing, "image", "python:3.12", "cpuLimit", 0.5, "memoryLimitMb", 256)));
        expect(200, http.post("/api/sessions/" + failing + "/container/failed", json("reason", "OOM killed")));
        String chat = runChat(userId);
        String expiring = http.post("/api/sessions", json("userId", userId, "ttlSeconds", 1)).text("sessionId");

        TopicRecords.awaitKey(brokers, topic, expiring, records -> records.size() == 2, PUBLICATION);
        List<Record> published = new ArrayList<>();
        for (String key : List.of(userId, happy, failing, chat, expiring)) {
            published.addAll(TopicRecords.ofKey(TopicRecords.readAll(brokers, topic), key));
        }

        assertThat(published.stream().map(Record::type).distinct())
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .filter(type -> type.stream().equals("user") || type.stream().equals("session"))
                        .map(EventType::typeName).toList());
        published.forEach(this::assertIsValidCloudEvent);
    }

    /** The type a session event of this name is published as today, e.g. transcript.session.MessagePosted.v2. */
    static String sessionType(String name) {
        return EventCatalog.current().stream()
                .filter(type -> type.stream().equals("session") && type.name().equals(name))
                .map(EventType::typeName)
                .findFirst().orElseThrow(() -> new AssertionError("no session event " + name));
    }

    private void assertIsValidCloudEvent(Record record) {
        JsonNode event = record.cloudEvent();
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("source").asText()).isEqualTo("/transcript/command-service");
        assertThat(event.path("subject").asText()).isEqualTo(record.key());
        assertThat(event.path("partitionkey").asText()).isEqualTo(record.key());
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.path("time").asText()).isNotBlank();
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("sequence").isIntegralNumber()).isTrue();
        assertThat(EventSchemas.violations(record.type(), event.path("data"))).as(record.type()).isEmpty();
    }

    String registerUser() {
        Http.Answer registered = http.post("/api/users", json("email", "ada+" + System.nanoTime() + "@example.com",
                "password", "correct horse battery", "role", "user"));
        assertThat(registered.status()).isEqualTo(201);
        return registered.text("id");
    }

    /**
     * Container up, exposed and labeled, a title, three messages, a checkpoint, a file, two charges, an
     * extension, the file deleted, stop, container down and deleted.
     */
    void runSession(String sessionId) {
        String base = "/api/sessions/" + sessionId;
        expect(201, http.post(base + "/container", json("containerId", "c0ffee" + System.nanoTime(),
                "containerName", "sandbox-" + sessionId, "image", "python:3.12", "cpuLimit", 1.5,
                "memoryLimitMb", 2048)));
        expect(200, http.post(base + "/container/started", "{}"));
        expect(200, http.post(base + "/container/exposed", json("port", 49_153,
                "url", "https://" + sessionId + ".sandbox.example.com/")));
        expect(200, http.put(base + "/container/labels", json("labels", Map.of("team", "growth"),
                "metadata", Map.of("node", "worker-3", "gpus", 0))));
        expect(200, http.put(base + "/title", json("title", "  A todo app ")));
        expect(201, http.post(base + "/messages", json("role", "user", "content", "hello", "tokensUsed", 3,
                "attachments", List.of(Map.of("fileName", "sketch.png", "size", 2048)),
                "metadata", Map.of("client", "web"))));
        Http.Answer reply = expect(201, http.post(base + "/messages", json("role", "assistant",
                "content", "hi, what shall we build?", "tokensUsed", 12, "model", "gpt-x")));
        expect(201, http.post(base + "/messages", json("role", "user", "content", "a todo app", "tokensUsed", 5)));
        expect(201, http.post(base + "/checkpoints", json("commitHash", "a1b2c3d4e5", "messageNumber", 2,
                "description", "scaffold", "filesChanged", 7)));
        String fileId = expect(201, http.post(base + "/files", json("filePath", "/workspace/todo/app.py",
                "fileName", "app.py", "fileSize", 1834, "mimeType", "text/x-python"))).text("id");
        expect(201, http.post(base + "/token-usage", json("model", "gpt-x", "inputTokens", 100,
                "outputTokens", 12, "chatMessageId", reply.text("messageId"))));
        expect(201, http.post(base + "/token-usage", json("model", "embedder", "inputTokens", 50,
                "outputTokens", 0)));
        expect(200, http.post(base + "/extend", json("ttlSeconds", 600)));
        expect(200, http.delete(base + "/files/" + fileId));
        expect(200, http.post(base + "/stop", "{}"));
        expect(200, http.post(base + "/container/stopped", "{}"));
        expect(200, http.delete(base + "/container"));
    }

    /** A chatbot thread: started with a title, a question, a reply that called a tool, a charge, a new title, stop. */
    String runChat(String userId) {
        Http.Answer started = expect(201, http.post("/api/chat-sessions", json("userId", userId,
                "title", "Dinner ideas")));
        String base = "/api/sessions/" + started.text("sessionId");
        expect(201, http.post(base + "/messages", json("role", "user", "content", "something with rice?",
                "tokensUsed", 4)));
        Http.Answer reply = expect(201, http.post(base + "/messages", json("role", "assistant",
                "content", "A mushroom risotto.", "tokensUsed", 40, "model", "claude-sonnet-4",
                "toolCalls", List.of(Map.of("id", "call_1", "name", "search_recipes",
                        "input", Map.of("query", "risotto"))))));
        expect(201, http.post(base + "/token-usage", json("model", "claude-sonnet-4", "inputTokens", 300,
                "outputTokens", 40, "chatMessageId", reply.text("messageId"))));
        expect(200, http.put(base + "/title", json("title", "Risotto")));
        expect(200, http.post(base + "/stop", "{}"));
        return started.text("sessionId");
    }

    /** The account's own life: a profile, a login used and closed, a deactivation and a reactivation. */
    private void runAccount(String userId) {
        String user = "/api/users/" + userId;
        expect(200, http.put(user + "/profile", json("name", "Ada", "avatarUrl", "https://example.com/ada.png")));
        String login = http.post(user + "/logins", json("token", "t".repeat(40) + System.nanoTime(),
                "ttlSeconds", 3600, "ipAddress", "2001:db8::1", "userAgent", "scenario")).text("id");
        expect(200, http.post(user + "/logins/" + login + "/activity", "{}"));
        expect(200, http.post(user + "/logins/" + login + "/close", "{}"));
        expect(200, http.post(user + "/deactivate", "{}"));
        expect(200, http.post(user + "/reactivate", "{}"));
    }

    static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }
}
