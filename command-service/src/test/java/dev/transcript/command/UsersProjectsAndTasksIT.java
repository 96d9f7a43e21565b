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
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.transcript.command.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users, logins, projects and tasks driven over real HTTP: every endpoint, every event type of the three
 * streams on the topic as a CloudEvent valid against its schema, the login token nowhere but in the request
 * that carried it, and bad input refused as a problem — 400 naming the field, 404, 409 — appending nothing.
 */
@LocalInfrastructure
class UsersProjectsAndTasksIT {

    static final Duration PUBLICATION = Duration.ofSeconds(30);
    static final String PROBLEM_JSON = "application/problem+json";
    static final Set<String> STREAMS = Set.of("user", "project", "task");

    @LocalServerPort
    int port;
    /** The brokers this context was built with (see WholeSessionScenario): the property read now may name another test class's. */
    @Autowired
    KafkaProperties kafka;
    String brokers;
    @Value("${transcript.kafka.topic}")
    String topic;
    @Autowired
    JdbcTemplate jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
        brokers = String.join(",", kafka.getBootstrapServers());
    }

    // --- every endpoint, every event type

    @Test
    void every_endpoint_publishes_its_events_as_cloud_events_valid_against_their_schemas() {
        String userId = registerUser();
        String user = "/api/users/" + userId;
        String token = newToken();
        expect(200, http.post(user + "/role", json("role", "admin")));
        expect(200, http.put(user + "/profile", json("name", "  Ada Lovelace ", "avatarUrl", "https://example.org/ada.png")));
        Http.Answer login = expect(201, http.post(user + "/logins", json("token", token, "ttlSeconds", 3600,
                "ipAddress", "2001:db8::7", "userAgent", "Mozilla/5.0")));
        String loginId = login.text("id");
        expect(200, http.post(user + "/logins/" + loginId + "/activity", "{}"));
        expect(200, http.post(user + "/logins/" + loginId + "/close", "{}"));
        String stillOpen = expect(201, http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 60))).text("id");
        expect(200, http.post(user + "/deactivate", "{}"));
        expect(200, http.post(user + "/reactivate", "{}"));

        String sessionId = sessionWithContainer(userId);
        String projectId = expect(201, http.post("/api/projects", json("userId", userId, "name", " Todo app ",
                "description", "A to-do list", "settings", Map.of("ssr", true), "sessionId", sessionId))).text("id");
        String project = "/api/projects/" + projectId;
        expect(200, http.put(project, json("name", "Todo app 2", "type", "vite", "metadata", Map.of("stage", "beta"))));
        expect(200, http.post(project + "/archive", "{}"));
        expect(200, http.delete(project));

        String taskId = expect(201, http.post("/api/tasks", json("userId", userId, "title", " Buy milk "))).text("id");
        String task = "/api/tasks/" + taskId;
        expect(200, http.put(task + "/title", json("title", "Buy oat milk")));
        expect(200, http.put(task + "/description", json("description", "two litres")));
        expect(200, http.post(task + "/complete", "{}"));
        expect(200, http.post(task + "/reopen", "{}"));
        expect(200, http.delete(task));

        List<Record> userRecords = awaitRecords(userId, 10);
        List<Record> projectRecords = awaitRecords(projectId, 4);
        List<Record> taskRecords = awaitRecords(taskId, 6);

        assertThat(userRecords).extracting(Record::type).containsExactlyElementsOf(typeNames("user",
                "UserRegistered", "UserRoleChanged", "UserProfileChanged", "LoginOpened", "LoginTouched", "LoginClosed",
                "LoginOpened", "UserDeactivated", "LoginClosed", "UserReactivated"));
        assertThat(projectRecords).extracting(Record::type).containsExactlyElementsOf(typeNames("project",
                "ProjectCreated", "ProjectUpdated", "ProjectArchived", "ProjectDeleted"));
        assertThat(taskRecords).extracting(Record::type).containsExactlyElementsOf(typeNames("task",
                "TaskCreated", "TaskRenamed", "TaskDescribed", "TaskCompleted", "TaskReopened", "TaskDeleted"));

        List<Record> all = new ArrayList<>(userRecords);
        all.addAll(projectRecords);
        all.addAll(taskRecords);
        assertThat(all.stream().map(Record::type).distinct()).containsExactlyInAnyOrderElementsOf(
                EventCatalog.current().stream().filter(type -> STREAMS.contains(type.stream()))
                        .map(EventType::typeName).toList());
        all.forEach(UsersProjectsAndTasksIT::assertIsValidCloudEvent);

        assertThat(data(userRecords, 2).path("name").asText()).isEqualTo("Ada Lovelace");
        JsonNode opened = data(userRecords, 3);
        assertThat(opened.path("loginId").asText()).isEqualTo(loginId);
        assertThat(opened.path("tokenSha256").asText()).isEqualTo(sha256(token));
        assertThat(Instant.parse(opened.path("expiresAt").asText())).isEqualTo(Instant.parse(login.text("expiresAt")));
        assertThat(data(userRecords, 8).path("loginId").asText()).as("closed by the deactivation").isEqualTo(stillOpen);
        JsonNode created = data(projectRecords, 0);
        assertThat(created.path("name").asText()).isEqualTo("Todo app");
        assertThat(created.path("type").asText()).isEqualTo("nextjs");
        assertThat(created.path("settings").path("ssr").asBoolean()).isTrue();
        assertThat(created.path("metadata").isObject()).isTrue();
        assertThat(created.path("sessionId").asText()).isEqualTo(sessionId);
        JsonNode updated = data(projectRecords, 1);
        assertThat(updated.path("description").isNull()).isTrue();
        assertThat(updated.path("settings").isEmpty()).isTrue();
        assertThat(data(taskRecords, 0).path("title").asText()).isEqualTo("Buy milk");
    }

    @Test
    void repetitions_of_a_profile_title_or_description_are_accepted_and_record_nothing() {
        String userId = registerUser();
        expect(200, http.put("/api/users/" + userId + "/profile", json("name", "Ada")));
        String taskId = expect(201, http.post("/api/tasks", json("userId", userId, "title", "Buy milk"))).text("id");

        Http.Answer profile = appendingNothing(userId,
                () -> http.put("/api/users/" + userId + "/profile", json("name", " Ada ")));
        Http.Answer title = appendingNothing(taskId,
                () -> http.put("/api/tasks/" + taskId + "/title", json("title", "Buy milk ")));
        Http.Answer description = appendingNothing(taskId,
                () -> http.put("/api/tasks/" + taskId + "/description", "{}"));

        assertThat(List.of(profile.status(), title.status(), description.status())).containsOnly(200);
    }

    // --- the login token

    @Test
    void the_login_token_is_stored_and_published_only_as_its_sha256() {
        String userId = registerUser();
        String token = newToken();
        String body = json("token", token, "ttlSeconds", 600, "ipAddress", "203.0.113.9", "userAgent", "curl/8.5");
        Map<String, String> key = Map.of("Idempotency-Key", "login-" + UUID.randomUUID());

        Http.Answer opened = expect(201, http.post("/api/users/" + userId + "/logins", body, key));
        Http.Answer retried = appendingNothing(userId, () -> http.post("/api/users/" + userId + "/logins", body, key));
        expect(200, http.post("/api/users/" + userId + "/logins/" + opened.text("id") + "/close", "{}"));

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.body()).isEqualTo(opened.body());
        List<String> answered = new ArrayList<>();
        opened.body().fieldNames().forEachRemaining(answered::add);
        assertThat(answered).containsExactlyInAnyOrder("id", "expiresAt");

        awaitRecords(userId, 3);
        assertThat(TopicRecords.readAll(brokers, topic))
                .allSatisfy(record -> assertThat(record.cloudEvent().toString()).doesNotContain(token));
        assertThat(storedEventsContaining(token)).isZero();
        assertThat(storedEventsContaining(sha256(token))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventstore.idempotency_key WHERE result_json LIKE ?",
                Long.class, "%" + token + "%")).isZero();
    }

    // --- 400: the field is named

    @Test
    void bad_profile_and_login_input_is_refused_naming_the_field() {
        String userId = registerUser();
        String user = "/api/users/" + userId;

        assertInvalidField(appendingNothing(userId, () -> http.put(user + "/profile", json("name", "  "))), "name");
        assertInvalidField(appendingNothing(userId, () -> http.put(user + "/profile", json("name", "n".repeat(256)))),
                "name");
        assertInvalidField(appendingNothing(userId,
                () -> http.put(user + "/profile", json("avatarUrl", "ftp://example.org/a.png"))), "avatarUrl");
        assertInvalidField(appendingNothing(userId,
                () -> http.put(user + "/profile", json("avatarUrl", "https://example.org/" + "a".repeat(2000)))),
                "avatarUrl");
        assertInvalidField(appendingNothing(userId,
                () -> http.post(user + "/logins", json("token", "too-short", "ttlSeconds", 60))), "token");
        assertInvalidField(appendingNothing(userId,
                () -> http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 0))), "ttlSeconds");
        assertInvalidField(appendingNothing(userId,
                () -> http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 2_592_001))), "ttlSeconds");
        assertInvalidField(appendingNothing(userId, () -> http.post(user + "/logins",
                json("token", newToken(), "ttlSeconds", 60, "ipAddress", "localhost"))), "ipAddress");
        assertInvalidField(appendingNothing(userId, () -> http.post(user + "/logins",
                json("token", newToken(), "ttlSeconds", 60, "userAgent", "u".repeat(2001)))), "userAgent");
        assertInvalidField(appendingNothing(userId,
                () -> http.post(user + "/logins/not-a-uuid/close", "{}")), "loginId");
    }

    @Test
    void bad_project_and_task_input_is_refused_naming_the_field() {
        String userId = registerUser();
        String projectId = createProject(userId);
        String taskId = expect(201, http.post("/api/tasks", json("userId", userId, "title", "Buy milk"))).text("id");

        assertInvalidField(appendingNothing(null, () -> http.post("/api/projects", json("name", "No owner"))), "userId");
        assertInvalidField(appendingNothing(null, () -> http.post("/api/projects", json("userId", userId, "name", " "))),
                "name");
        assertInvalidField(appendingNothing(null, () -> http.post("/api/projects",
                json("userId", userId, "name", "App", "type", "t".repeat(101)))), "type");
        assertInvalidField(appendingNothing(null, () -> http.post("/api/projects",
                json("userId", userId, "name", "App", "settings", List.of("not", "an", "object")))), "settings");
        assertInvalidField(appendingNothing(projectId, () -> http.put("/api/projects/" + projectId,
                json("name", "App", "description", "d".repeat(10_001)))), "description");
        assertInvalidField(appendingNothing(null, () -> http.post("/api/tasks", json("userId", userId, "title", ""))),
                "title");
        assertInvalidField(appendingNothing(null, () -> http.post("/api/tasks",
                json("userId", userId, "title", "t".repeat(256)))), "title");
        assertInvalidField(appendingNothing(taskId, () -> http.put("/api/tasks/" + taskId + "/title", "{}")), "title");
        assertInvalidField(appendingNothing(taskId, () -> http.put("/api/tasks/" + taskId + "/description",
                json("description", "d".repeat(10_001)))), "description");
        assertInvalidField(appendingNothing(null, () -> http.delete("/api/tasks/not-a-uuid")), "id");
    }

    // --- 404: the thing named does not exist

    @Test
    void unknown_users_logins_sessions_projects_and_tasks_are_not_found() {
        String userId = registerUser();
        String unknown = UUID.randomUUID().toString();
        String sessionWithoutContainer = expect(201,
                http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600))).text("sessionId");

        assertNotFound(unknown, appendingNothing(unknown,
                () -> http.put("/api/users/" + unknown + "/profile", json("name", "Nobody"))));
        assertNotFound(unknown, appendingNothing(unknown, () -> http.post("/api/users/" + unknown + "/deactivate", "{}")));
        assertNotFound(unknown, appendingNothing(unknown,
                () -> http.post("/api/users/" + unknown + "/logins", json("token", newToken(), "ttlSeconds", 60))));
        assertNotFound(unknown, appendingNothing(userId,
                () -> http.post("/api/users/" + userId + "/logins/" + unknown + "/activity", "{}")));
        assertNotFound(unknown, appendingNothing(userId,
                () -> http.post("/api/users/" + userId + "/logins/" + unknown + "/close", "{}")));
        assertNotFound(unknown, appendingNothing(null,
                () -> http.post("/api/projects", json("userId", unknown, "name", "App"))));
        assertNotFound(unknown, appendingNothing(null,
                () -> http.post("/api/projects", json("userId", userId, "name", "App", "sessionId", unknown))));
        assertNotFound(sessionWithoutContainer, appendingNothing(null, () -> http.post("/api/projects",
                json("userId", userId, "name", "App", "sessionId", sessionWithoutContainer))));
        assertNotFound(unknown, appendingNothing(unknown, () -> http.post("/api/projects/" + unknown + "/archive", "{}")));
        assertNotFound(unknown, appendingNothing(null,
                () -> http.post("/api/tasks", json("userId", unknown, "title", "Buy milk"))));
        assertNotFound(unknown, appendingNothing(unknown, () -> http.post("/api/tasks/" + unknown + "/complete", "{}")));
    }

    // --- 409: the state forbids it

    @Test
    void user_and_login_commands_the_state_forbids_are_conflicts() {
        String userId = registerUser();
        String user = "/api/users/" + userId;
        String closed = expect(201, http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 60))).text("id");
        expect(200, http.post(user + "/logins/" + closed + "/close", "{}"));
        Http.Answer shortLived = expect(201, http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 1)));
        Instant expiresAt = Instant.parse(shortLived.text("expiresAt"));

        assertConflict("active", appendingNothing(userId, () -> http.post(user + "/reactivate", "{}")));
        assertConflict("closed", appendingNothing(userId, () -> http.post(user + "/logins/" + closed + "/activity", "{}")));
        assertConflict("closed", appendingNothing(userId, () -> http.post(user + "/logins/" + closed + "/close", "{}")));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
               .until(() -> Instant.now().isAfter(expiresAt));
        assertConflict("expired", appendingNothing(userId,
                () -> http.post(user + "/logins/" + shortLived.text("id") + "/activity", "{}")));

        expect(200, http.post(user + "/deactivate", "{}"));
        assertConflict("deactivated", appendingNothing(userId, () -> http.post(user + "/deactivate", "{}")));
        assertConflict("deactivated", appendingNothing(userId,
                () -> http.post(user + "/logins", json("token", newToken(), "ttlSeconds", 60))));
    }

    @Test
    void project_and_task_commands_the_state_forbids_are_conflicts() {
        String userId = registerUser();
        String projectId = createProject(userId);
        String project = "/api/projects/" + projectId;
        expect(200, http.post(project + "/archive", "{}"));
        assertConflict("archived", appendingNothing(projectId, () -> http.put(project, json("name", "Renamed"))));
        assertConflict("archived", appendingNothing(projectId, () -> http.post(project + "/archive", "{}")));
        expect(200, http.delete(project));
        assertConflict("deleted", appendingNothing(projectId, () -> http.delete(project)));

        String taskId = expect(201, http.post("/api/tasks", json("userId", userId, "title", "Buy milk"))).text("id");
        String task = "/api/tasks/" + taskId;
        assertConflict("open", appendingNothing(taskId, () -> http.post(task + "/reopen", "{}")));
        expect(200, http.post(task + "/complete", "{}"));
        assertConflict("completed", appendingNothing(taskId, () -> http.post(task + "/complete", "{}")));
        expect(200, http.delete(task));
        assertConflict("was deleted", appendingNothing(taskId, () -> http.put(task + "/title", json("title", "New"))));
        assertConflict("was deleted", appendingNothing(taskId, () -> http.delete(task)));
    }

    // --- helpers

    /**
     * Sends the request and checks that it appended nothing: no event of the aggregate (when one is named)
     * and no event at all.
     */
    private Http.Answer appendingNothing(String aggregateId, Supplier<Http.Answer> request) {
        long aggregateBefore = aggregateId == null ? 0 : eventsOf(aggregateId);
        long allBefore = allEvents();
        Http.Answer answer = request.get();
        if (aggregateId != null) {
            assertThat(eventsOf(aggregateId)).as("events of %s after %s", aggregateId, answer.body())
                    .isEqualTo(aggregateBefore);
        }
        assertThat(allEvents()).as("all events after %s", answer.body()).isEqualTo(allBefore);
        return answer;
    }

    private static void assertProblem(Http.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(PROBLEM_JSON);
        assertThat(answer.body().path("status").asInt()).isEqualTo(status);
        assertThat(answer.text("title")).isNotBlank();
        assertThat(answer.text("detail")).isNotBlank();
    }

    private static void assertInvalidField(Http.Answer answer, String field) {
        assertProblem(answer, 400);
        List<String> fields = new ArrayList<>();
        for (JsonNode error : answer.body().path("errors")) {
            fields.add(error.path("field").asText());
            assertThat(error.path("message").asText()).as("message of " + error).isNotBlank();
        }
        assertThat(fields).as("fields named by %s", answer.body()).containsExactly(field);
    }

    private static void assertNotFound(String id, Http.Answer answer) {
        assertProblem(answer, 404);
        assertThat(answer.text("detail")).contains(id);
    }

    private static void assertConflict(String reason, Http.Answer answer) {
        assertProblem(answer, 409);
        assertThat(answer.text("detail")).contains(reason);
    }

    private static void assertIsValidCloudEvent(Record record) {
        JsonNode event = record.cloudEvent();
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("subject").asText()).isEqualTo(record.key());
        assertThat(event.path("partitionkey").asText()).isEqualTo(record.key());
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.path("id").asText()).isNotBlank();
        assertThat(event.path("sequence").isIntegralNumber()).isTrue();
        assertThat(EventSchemas.violations(record.type(), event.path("data"))).as(record.type()).isEmpty();
    }

    private static Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
        return answer;
    }

    private List<Record> awaitRecords(String key, int count) {
        return TopicRecords.awaitKey(brokers, topic, key, records -> records.size() >= count, PUBLICATION);
    }

    private static JsonNode data(List<Record> records, int index) {
        return records.get(index).cloudEvent().path("data");
    }

    private static List<String> typeNames(String stream, String... names) {
        return java.util.Arrays.stream(names).map(name -> "transcript." + stream + "." + name + ".v1").toList();
    }

    private String registerUser() {
        Http.Answer registered = expect(201, http.post("/api/users",
                json("email", "ada+" + System.nanoTime() + "@example.com", "password", "correct horse battery",
                        "role", "user")));
        return registered.text("id");
    }

    private String sessionWithContainer(String userId) {
        String sessionId = expect(201, http.post("/api/sessions", json("userId", userId, "ttlSeconds", 3600)))
                .text("sessionId");
        expect(201, http.post("/api/sessions/" + sessionId + "/container", json("containerId", "c-" + sessionId,
                "containerName", "sandbox-" + sessionId, "image", "node:22", "cpuLimit", 1, "memoryLimitMb", 1024)));
        return sessionId;
    }

    private String createProject(String userId) {
        return expect(201, http.post("/api/projects", json("userId", userId, "name", "Todo app"))).text("id");
    }

    /** As the auth front end would issue one: long, random, and recognisable wherever it might leak. */
    private static String newToken() {
        return "tok" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long storedEventsContaining(String text) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM eventstore.domain_event_entry
                WHERE position(convert_to(?, 'UTF8') IN payload) > 0
                   OR position(convert_to(?, 'UTF8') IN coalesce(meta_data, ''::bytea)) > 0""",
                Long.class, text, text);
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private long allEvents() {
        return jdbc.queryForObject("SELECT count(*) FROM eventstore.domain_event_entry", Long.class);
    }
}
