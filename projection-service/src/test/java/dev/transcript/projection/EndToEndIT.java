package dev.transcript.projection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.builder.BuilderProjector;
import dev.transcript.projection.chat.ChatProjector;
import dev.transcript.projection.chatapp.ChatAppProjector;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.BuilderTables;
import dev.transcript.projection.support.CommandServiceProcess;
import dev.transcript.projection.support.StraightReplay;
import dev.transcript.projection.support.TodoTables;
import dev.transcript.projection.support.TopicEvents;
import dev.transcript.projection.support.TopicRecords;
import dev.transcript.projection.todo.TodoProjector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.transcript.projection.support.BuilderTables.columns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The whole system: HTTP commands to command-service (its shipped jar, in a child process) → events in its event
 * store → CloudEvents on the broker → this projection-service → gateway rows and its read API.
 *
 * <p>Both services use this test's database (schemas {@code eventstore}, and {@code gateway} and
 * {@code projection}) and its in-JVM broker. The context is its own (the property below), so that the event store
 * never lands in the database the other tests share: ProjectionServiceStartsIT asserts exactly the read models'
 * schemas there. No other class uses this context, so it is closed after this one: left to the JVM's exit, it
 * would close after test-support's hook has dropped its database, and its parked-event drainer would wait out
 * Hikari's 30 s connection timeout, holding the fork's exit.
 */
@LocalInfrastructure
@TestPropertySource(properties = "transcript.test.context=end-to-end")
@DirtiesContext // closed with its broker after this class, while its database still exists (see below)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndIT {

    static final Duration STARTS = Duration.ofMinutes(3);
    static final Duration PROJECTED = Duration.ofSeconds(60);
    static final Path LOG = Path.of("target", "command-service-e2e.log");
    static final String USER_HEADER = "X-Transcript-User-Id";
    /** How Axon 4 writes {@code time_stamp}. */
    static final java.time.format.DateTimeFormatter AXON_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Logger log = LoggerFactory.getLogger(EndToEndIT.class);

    @Value("${spring.datasource.url}")
    String databaseUrl;
    @Value("${spring.datasource.username}")
    String databaseUser;
    @Value("${spring.datasource.password:}")
    String databasePassword;
    /**
     * The brokers this context was built with: ${spring.kafka.bootstrap-servers} read when the test instance is
     * made would follow the embedded broker of whichever test class started one last.
     */
    @Autowired
    KafkaProperties kafka;
    @LocalServerPort
    int projectionPort;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    RecordBatches batches;
    @Autowired
    BuilderProjector builderProjector;
    @Autowired
    TodoProjector todoProjector;
    @Autowired
    ChatProjector chatProjector;
    @Autowired
    ChatAppProjector chatAppProjector;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    com.fasterxml.jackson.databind.ObjectMapper json;
    @Value("${transcript.kafka.topic}")
    String topic;

    CommandServiceProcess commandService;
    Http commands;

    @BeforeAll
    void startCommandService() {
        commandService = CommandServiceProcess.start(List.of(
                "spring.datasource.url=" + databaseUrl,
                "spring.datasource.username=" + databaseUser,
                "spring.datasource.password=" + databasePassword,
                "spring.kafka.bootstrap-servers=" + brokers(),
                "transcript.users.bcrypt-cost=4"), LOG);
        commandService.awaitHealthy(STARTS);
        commands = new Http(commandService.port());
    }

    @AfterAll
    void stopCommandService() {
        if (commandService != null) {
            commandService.close();
        }
    }

    @Test
    void a_session_driven_over_http_lands_in_every_gateway_table_and_the_read_api() {
        UUID userId = register("ada");
        Http.Answer started = expect(201, commands.post("/api/sessions", Map.of("userId", userId, "ttlSeconds", 3600)));
        UUID sessionId = UUID.fromString(started.field("sessionId"));
        UUID conversationId = UUID.fromString(started.field("conversationId"));
        Instant expiresAt = Instant.parse(started.field("expiresAt"));
        String base = "/api/sessions/" + sessionId;
        String containerId = "c0ffee" + System.nanoTime();

        expect(201, commands.post(base + "/container", Map.of("containerId", containerId,
                "containerName", "sandbox-" + sessionId, "image", "python:3.12", "cpuLimit", 1.5, "memoryLimitMb", 2048)));
        expect(200, commands.post(base + "/container/started", Map.of()));
        UUID hello = UUID.fromString(expect(201, commands.post(base + "/messages",
                Map.of("role", "user", "content", "hello", "tokensUsed", 3))).field("messageId"));
        UUID reply = UUID.fromString(expect(201, commands.post(base + "/messages",
                Map.of("role", "assistant", "content", "hi, what shall we build?", "tokensUsed", 12))).field("messageId"));
        UUID todo = UUID.fromString(expect(201, commands.post(base + "/messages",
                Map.of("role", "user", "content", "a todo app", "tokensUsed", 5))).field("messageId"));
        UUID checkpointId = UUID.fromString(expect(201, commands.post(base + "/checkpoints", Map.of(
                "commitHash", "A1B2C3D4E5", "messageNumber", 2, "description", "scaffold", "filesChanged", 7)))
                .field("checkpointId"));
        UUID usageId = UUID.fromString(expect(201, commands.post(base + "/token-usage", Map.of(
                "model", "gpt-x", "inputTokens", 100, "outputTokens", 12, "chatMessageId", reply))).field("usageId"));
        expect(200, commands.post(base + "/extend", Map.of("ttlSeconds", 600)));
        expect(200, commands.post(base + "/stop", Map.of()));
        expect(200, commands.post(base + "/container/stopped", Map.of()));

        GatewayTables tables = new GatewayTables(jdbc);
        await("the session projected to the end").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(tables.row("sessions", sessionId)).containsEntry("status", "stopped");
            assertThat(tables.row("containers", containerId)).containsEntry("status", "stopped");
            assertThat(tables.countsOf(userId)).containsAllEntriesOf(Map.of("users", 1, "sessions", 1,
                    "conversations", 1, "chat_messages", 3, "containers", 1, "git_checkpoints", 1, "token_usage", 1));
        });

        Map<String, Object> user = tables.row("users", userId);
        assertThat(user).containsEntry("role", "user");
        assertThat((String) user.get("email")).startsWith("ada+").endsWith("@example.com");
        assertThat((String) user.get("password_hash")).startsWith("$2").doesNotContain("correct horse");

        Map<String, Object> session = tables.row("sessions", sessionId);
        assertThat(session).containsEntry("user_id", userId).containsEntry("container_id", containerId);
        assertThat((Instant) session.get("expires_at"))
                .isCloseTo(expiresAt.plusSeconds(600), within(1, ChronoUnit.MICROS));
        assertThat((Instant) session.get("last_activity_at")).isNotNull();

        assertThat(tables.row("conversations", conversationId))
                .containsEntry("session_id", sessionId).containsEntry("messages_count", 3);
        assertThat(tables.rows("SELECT id, role, content, tokens_used FROM gateway.chat_messages "
                + "WHERE conversation_id = ? ORDER BY created_at, id", conversationId)).containsExactly(
                Map.of("id", hello, "role", "user", "content", "hello", "tokens_used", 3),
                Map.of("id", reply, "role", "assistant", "content", "hi, what shall we build?", "tokens_used", 12),
                Map.of("id", todo, "role", "user", "content", "a todo app", "tokens_used", 5));

        Map<String, Object> container = tables.row("containers", containerId);
        assertThat(container).containsEntry("session_id", sessionId)
                .containsEntry("container_name", "sandbox-" + sessionId)
                .containsEntry("image", "python:3.12")
                .containsEntry("cpu_limit", new BigDecimal("1.50"))
                .containsEntry("memory_limit_mb", 2048);
        assertThat((Instant) container.get("started_at")).isNotNull();
        assertThat((Instant) container.get("stopped_at")).isAfterOrEqualTo((Instant) container.get("started_at"));

        assertThat(tables.row("git_checkpoints", checkpointId)).containsEntry("session_id", sessionId)
                .containsEntry("commit_hash", "a1b2c3d4e5").containsEntry("message_number", 2)
                .containsEntry("description", "scaffold").containsEntry("files_changed", 7);
        assertThat(tables.row("token_usage", usageId)).containsEntry("session_id", sessionId)
                .containsEntry("conversation_id", conversationId).containsEntry("chat_message_id", reply)
                .containsEntry("model", "gpt-x").containsEntry("input_tokens", 100)
                .containsEntry("output_tokens", 12).containsEntry("total_tokens", 112);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway'",
                Integer.class)).isZero();

        Http.Answer read = new Http(projectionPort).get("/api/sessions/" + sessionId);
        if (read.status() == 404 && read.text().contains("No static resource")) {
            // The read API is not there yet (another change): the rows above are the whole check.
            log.warn("GET /api/sessions/{id} does not exist yet ({}); checked the gateway rows only", read.text());
            return;
        }
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.field("status")).isEqualTo("stopped");
        assertThat(read.field("id")).isEqualTo(sessionId.toString());
        log.info("GET /api/sessions/{} answered 200: {}", sessionId, read.text());
    }

    /**
     * Issue 7 end to end: a user with a profile and a login, a sandbox with a project, a file, an exposed and
     * labeled container and messages, a chatbot conversation with a title and tool calls, and tasks — all over
     * HTTP — land in the builder and todo schemas; then every record of the topic is delivered to both
     * projectors again, and not a row changes.
     */
    @Test
    void an_app_builder_and_a_todo_story_over_http_land_in_builder_and_todo_and_redelivery_changes_nothing() {
        String email = uniqueEmail("grace");
        UUID userId = registerWith(email);
        String user = "/api/users/" + userId;
        expect(200, commands.put(user + "/profile", Map.of("name", "Grace", "avatarUrl", "https://example.com/g.png")));
        String token = "tok-" + UUID.randomUUID() + UUID.randomUUID();
        UUID loginId = UUID.fromString(expect(201, commands.post(user + "/logins", Map.of("token", token,
                "ttlSeconds", 3600, "ipAddress", "203.0.113.9", "userAgent", "e2e"))).field("id"));
        expect(200, commands.post(user + "/logins/" + loginId + "/activity", Map.of()));

        Http.Answer sandbox = expect(201, commands.post("/api/sessions", Map.of("userId", userId, "ttlSeconds", 3600)));
        UUID sessionId = UUID.fromString(sandbox.field("sessionId"));
        UUID sandboxConversation = UUID.fromString(sandbox.field("conversationId"));
        String base = "/api/sessions/" + sessionId;
        String containerId = "feed" + System.nanoTime();
        expect(201, commands.post(base + "/messages", Map.of("role", "user", "content", "build me a shop", "tokensUsed", 4)));
        expect(201, commands.post(base + "/container", Map.of("containerId", containerId,
                "containerName", "shop-" + sessionId, "image", "node:22", "cpuLimit", 1, "memoryLimitMb", 1024)));
        expect(200, commands.post(base + "/container/started", Map.of()));
        expect(200, commands.post(base + "/container/exposed", Map.of("port", 3000,
                "url", "https://shop.example.com")));
        expect(200, commands.put(base + "/container/labels", Map.of("labels", Map.of("team", "web"),
                "metadata", Map.of("framework", "nextjs"))));
        expect(201, commands.post(base + "/messages", Map.of("role", "assistant", "content", "scaffolded",
                "tokensUsed", 9, "model", "gpt-x", "attachments", List.of(Map.of("name", "plan.md")),
                "metadata", Map.of("step", 1))));
        UUID fileId = UUID.fromString(expect(201, commands.post(base + "/files", Map.of("filePath", "/app/page.tsx",
                "fileName", "page.tsx", "fileSize", 512, "mimeType", "text/plain"))).field("id"));
        UUID projectId = UUID.fromString(expect(201, commands.post("/api/projects", Map.of("userId", userId,
                "name", "shop", "description", "a shop", "type", "nextjs", "sessionId", sessionId))).field("id"));

        Http.Answer chat = expect(201, commands.post("/api/chat-sessions", Map.of("userId", userId, "title", "todos")));
        UUID chatSession = UUID.fromString(chat.field("sessionId"));
        UUID chatConversation = UUID.fromString(chat.field("conversationId"));
        expect(200, commands.put("/api/sessions/" + chatSession + "/title", Map.of("title", "my todos")));
        expect(201, commands.post("/api/sessions/" + chatSession + "/messages",
                Map.of("role", "user", "content", "add milk", "tokensUsed", 2)));
        expect(201, commands.post("/api/sessions/" + chatSession + "/messages", Map.of("role", "assistant",
                "content", "added", "tokensUsed", 3, "toolCalls", List.of(Map.of("tool", "add_task", "title", "milk")))));
        UUID milk = UUID.fromString(expect(201, commands.post("/api/tasks",
                Map.of("userId", userId, "title", "milk"))).field("id"));
        UUID bread = UUID.fromString(expect(201, commands.post("/api/tasks",
                Map.of("userId", userId, "title", "bread", "description", "rye"))).field("id"));
        expect(200, commands.post("/api/tasks/" + milk + "/complete", Map.of()));
        expect(200, commands.delete("/api/tasks/" + bread));

        BuilderTables builder = new BuilderTables(jdbc);
        TodoTables todo = new TodoTables(jdbc);
        await("the story projected to builder and todo").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(builder.countsOf(userId)).containsAllEntriesOf(Map.of("builder.users", 1,
                    "builder.sessions", 1, "builder.containers", 1, "builder.projects", 1,
                    "builder.chat_messages", 4, "builder.file_storage", 1));
            assertThat(todo.countsOf(userId)).containsAllEntriesOf(Map.of("users", 1, "tasks", 1,
                    "conversations", 2, "messages", 4));
            assertThat(builder.row("file_storage", fileId)).isNotEmpty();
            assertThat(todo.row("tasks", milk)).containsEntry("completed", true);
        });

        assertThat(builder.row("users", userId)).containsEntry("email", email).containsEntry("name", "Grace")
                .containsEntry("is_active", true);
        assertThat(builder.row("users", userId).get("last_login")).isNotNull();
        assertThat(builder.row("sessions", loginId)).containsEntry("user_id", userId)
                .containsEntry("token", sha256(token)).containsEntry("is_active", true);
        assertThat(builder.row("containers", sessionId)).containsEntry("container_id", containerId)
                .containsEntry("status", "running").containsEntry("assigned_port", 3000)
                .containsEntry("url", "https://shop.example.com");
        assertThat(builder.row("projects", projectId)).containsEntry("container_id", sessionId)
                .containsEntry("status", "active").containsEntry("name", "shop");
        assertThat(builder.rows("SELECT container_id FROM builder.chat_messages WHERE session_id = ?",
                sandboxConversation.toString())).extracting(row -> row.get("container_id"))
                .as("the message posted before the container exists is attached to it").containsOnly(sessionId);
        assertThat(builder.rows("SELECT project_name, user_email FROM builder.active_containers WHERE id = ?", sessionId))
                .containsExactly(Map.of("project_name", "shop", "user_email", email));
        assertThat(builder.rows("SELECT message_count FROM builder.user_projects WHERE id = ?", projectId))
                .containsExactly(Map.of("message_count", 2L));

        assertThat(todo.row("conversations", chatConversation)).containsEntry("title", "my todos")
                .containsEntry("user_id", userId);
        assertThat(todo.row("conversations", sandboxConversation)).containsEntry("user_id", userId);
        assertThat(todo.rows("SELECT role, content FROM todo.messages WHERE conversation_id = ? ORDER BY created_at",
                chatConversation)).containsExactly(Map.of("role", "user", "content", "add milk"),
                Map.of("role", "agent", "content", "added"));
        assertThat(todo.row("tasks", bread)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model IN ('builder', 'todo')",
                Integer.class)).isZero();

        assertEveryRecordAgainChangesNothingInBuilderAndTodo(userId);
    }

    /**
     * Issue 7's other commands end to end, over HTTP: a login closed, the user deactivated (which closes their other
     * login) and reactivated, a project updated and archived and another deleted, a file deleted, a container
     * stopped and deleted, a task completed, reopened, renamed and described and another's description cleared.
     * The rows they leave in builder and todo are asserted whole; then every record delivered again, and applied
     * again straight, changes nothing.
     */
    @Test
    void closing_deactivating_archiving_deleting_and_reopening_over_http_leave_exactly_these_builder_and_todo_rows() {
        String email = uniqueEmail("hopper");
        UUID userId = registerWith(email);
        String user = "/api/users/" + userId;
        String cutOffToken = "cut-" + UUID.randomUUID() + UUID.randomUUID();
        Http.Answer cutOff = expect(201, commands.post(user + "/logins", Map.of("token", cutOffToken,
                "ttlSeconds", 3600, "ipAddress", "198.51.100.7", "userAgent", "e2e")));
        String loggedOutToken = "out-" + UUID.randomUUID() + UUID.randomUUID();
        Http.Answer loggedOut = expect(201, commands.post(user + "/logins", Map.of("token", loggedOutToken,
                "ttlSeconds", 60)));
        UUID cutOffId = UUID.fromString(cutOff.field("id"));
        UUID loggedOutId = UUID.fromString(loggedOut.field("id"));
        expect(200, commands.post(user + "/logins/" + loggedOutId + "/close", Map.of()));
        expect(200, commands.post(user + "/deactivate", Map.of()));

        BuilderTables builder = new BuilderTables(jdbc);
        TodoTables todo = new TodoTables(jdbc);
        // Reactivation puts back the value deactivation changed: seen here, or never.
        await("the deactivation projected").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(builder.row("users", userId)).containsEntry("is_active", false);
            assertThat(builder.rows("SELECT is_active FROM builder.sessions WHERE user_id = ?", userId))
                    .as("both logins closed, one by the deactivation").hasSize(2)
                    .containsOnly(Map.of("is_active", false));
        });
        expect(200, commands.post(user + "/reactivate", Map.of()));

        UUID sessionId = UUID.fromString(expect(201, commands.post("/api/sessions",
                Map.of("userId", userId, "ttlSeconds", 3600))).field("sessionId"));
        String base = "/api/sessions/" + sessionId;
        String containerId = "dead" + System.nanoTime();
        expect(201, commands.post(base + "/container", Map.of("containerId", containerId,
                "containerName", "app-" + sessionId, "image", "node:22", "cpuLimit", 1, "memoryLimitMb", 512)));
        expect(200, commands.post(base + "/container/started", Map.of()));
        UUID fileId = UUID.fromString(expect(201, commands.post(base + "/files", Map.of("filePath", "/app/old.tsx",
                "fileName", "old.tsx", "fileSize", 64))).field("id"));
        UUID shop = UUID.fromString(expect(201, commands.post("/api/projects", Map.of("userId", userId,
                "name", "shop", "description", "a shop", "type", "nextjs", "sessionId", sessionId))).field("id"));
        UUID blog = UUID.fromString(expect(201, commands.post("/api/projects", Map.of("userId", userId,
                "name", "blog", "description", "notes"))).field("id"));
        expect(200, commands.put("/api/projects/" + shop, Map.of("name", " shop v2 ", "description", "a better shop",
                "type", "react", "settings", Map.of("ssr", true), "metadata", Map.of("owner", "hopper"))));
        expect(200, commands.post("/api/projects/" + shop + "/archive", Map.of()));
        expect(200, commands.delete("/api/projects/" + blog));
        expect(200, commands.delete(base + "/files/" + fileId));
        expect(200, commands.post(base + "/container/stopped", Map.of()));
        // Deletion takes the row on from stopped: 'stopped' is seen here, or never.
        await("the stop projected").atMost(PROJECTED).untilAsserted(() ->
                assertThat(builder.row("containers", sessionId)).containsEntry("status", "stopped"));
        expect(200, commands.delete(base + "/container"));

        UUID milk = UUID.fromString(expect(201, commands.post("/api/tasks",
                Map.of("userId", userId, "title", "milk"))).field("id"));
        UUID bread = UUID.fromString(expect(201, commands.post("/api/tasks",
                Map.of("userId", userId, "title", "bread", "description", "rye"))).field("id"));
        // Described last, so that its description shows every earlier change of the task projected.
        expect(200, commands.post("/api/tasks/" + milk + "/complete", Map.of()));
        expect(200, commands.post("/api/tasks/" + milk + "/reopen", Map.of()));
        expect(200, commands.put("/api/tasks/" + milk + "/title", Map.of("title", " oat milk ")));
        expect(200, commands.put("/api/tasks/" + milk + "/description", Map.of("description", "two litres")));
        expect(200, commands.put("/api/tasks/" + bread + "/description",
                java.util.Collections.singletonMap("description", null)));
        expect(200, commands.post("/api/tasks/" + bread + "/complete", Map.of()));

        await("the story projected to builder and todo").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(builder.row("users", userId)).containsEntry("is_active", true);
            assertThat(builder.row("projects", shop)).containsEntry("status", "archived");
            assertThat(builder.row("projects", blog)).containsEntry("status", "deleted");
            assertThat(builder.row("file_storage", fileId)).containsEntry("is_deleted", true);
            assertThat(builder.row("containers", sessionId)).containsEntry("status", "deleted");
            assertThat(todo.row("tasks", milk)).containsEntry("description", "two litres");
            assertThat(todo.row("tasks", bread)).containsEntry("completed", true);
        });

        TopicEvents events = TopicEvents.read(brokers(), topic, decoder);
        Instant registered = events.timeOf(UserRegistered.class, userId);
        assertThat(builder.row("users", userId)).isEqualTo(columns("id", userId, "email", email, "name", null,
                "avatar_url", null, "created_at", registered,
                "updated_at", events.timeOf(UserReactivated.class, userId),
                "last_login", openedAt(events, loggedOutId), "is_active", true));
        assertLogin(builder.row("sessions", cutOffId), columns("id", cutOffId, "user_id", userId,
                "token", sha256(cutOffToken), "created_at", openedAt(events, cutOffId),
                "last_activity", openedAt(events, cutOffId), "ip_address", "198.51.100.7", "user_agent", "e2e",
                "is_active", false), Instant.parse(cutOff.field("expiresAt")));
        assertLogin(builder.row("sessions", loggedOutId), columns("id", loggedOutId, "user_id", userId,
                "token", sha256(loggedOutToken), "created_at", openedAt(events, loggedOutId),
                "last_activity", openedAt(events, loggedOutId), "ip_address", null, "user_agent", null,
                "is_active", false), Instant.parse(loggedOut.field("expiresAt")));
        Map<String, Object> todoUser = todo.row("users", userId);
        assertThat(todoUser).as("seed 003 has no activation: the user as registered").isEqualTo(columns("id", userId,
                "email", email, "password_hash", todoUser.get("password_hash"), "created_at", registered,
                "updated_at", registered));

        assertStampedByTrigger(builder.row("containers", sessionId), columns("id", sessionId,
                "container_id", containerId, "name", "app-" + sessionId, "status", "deleted", "image_name", "node:22",
                "assigned_port", null, "url", null, "created_at", events.timeOf(ContainerCreated.class, sessionId),
                "started_at", events.timeOf(ContainerStarted.class, sessionId),
                "stopped_at", events.timeOf(ContainerStopped.class, sessionId), "user_id", userId,
                "labels", Map.of(), "metadata", Map.of()), events.timeOf(ContainerDeleted.class, sessionId));
        assertStampedByTrigger(builder.row("file_storage", fileId), columns("id", fileId, "container_id", sessionId,
                "file_path", "/app/old.tsx", "file_name", "old.tsx", "file_size", 64L, "mime_type", null,
                "created_at", events.timeOf(FileStored.class, sessionId), "is_deleted", true),
                events.timeOf(FileDeleted.class, sessionId));
        assertStampedByTrigger(builder.row("projects", shop), columns("id", shop, "container_id", sessionId,
                "name", "shop v2", "description", "a better shop", "type", "react", "status", "archived",
                "created_at", events.timeOf(ProjectCreated.class, shop), "user_id", userId,
                "metadata", Map.of("owner", "hopper"), "settings", Map.of("ssr", true)),
                events.timeOf(ProjectArchived.class, shop));
        assertStampedByTrigger(builder.row("projects", blog), columns("id", blog, "container_id", null,
                "name", "blog", "description", "notes", "type", "nextjs", "status", "deleted",
                "created_at", events.timeOf(ProjectCreated.class, blog), "user_id", userId,
                "metadata", Map.of(), "settings", Map.of()), events.timeOf(ProjectDeleted.class, blog));
        assertThat(builder.rows("SELECT id FROM builder.active_containers WHERE user_id = ?", userId))
                .as("a deleted container is not active").isEmpty();
        assertThat(builder.rows("SELECT name, status, container_status FROM builder.user_projects WHERE user_id = ? "
                + "ORDER BY name", userId)).containsExactly(
                columns("name", "blog", "status", "deleted", "container_status", null),
                columns("name", "shop v2", "status", "archived", "container_status", "deleted"));

        assertThat(todo.rows("SELECT * FROM todo.tasks WHERE user_id = ?", userId)).containsExactlyInAnyOrder(
                columns("id", milk, "user_id", userId, "title", "oat milk", "description", "two litres",
                        "completed", false, "created_at", events.timeOf(TaskCreated.class, milk),
                        "updated_at", events.timeOf(TaskDescribed.class, milk)),
                columns("id", bread, "user_id", userId, "title", "bread", "description", null,
                        "completed", true, "created_at", events.timeOf(TaskCreated.class, bread),
                        "updated_at", events.timeOf(TaskCompleted.class, bread)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model IN ('builder', 'todo')",
                Integer.class)).isZero();

        assertEveryRecordAgainChangesNothingInBuilderAndTodo(userId);
    }

    /**
     * Issue 8 end to end: chats, a priced and an unpriced charge, pipeline runs over HTTP → the chat schema
     * (under row-level security) and chat_app; each reader sees only their own rows through the chat read API,
     * the daily cost is the recorded one, and every record delivered again changes no row.
     */
    @Test
    void chats_charges_and_pipelines_over_http_land_in_chat_and_chat_app_each_reader_seeing_only_their_own() {
        UUID ada = register("ada");
        UUID bob = register("bob");
        Http.Answer adaChat = expect(201, commands.post("/api/chat-sessions", Map.of("userId", ada, "title", "costs")));
        UUID adaSession = UUID.fromString(adaChat.field("sessionId"));
        UUID adaConversation = UUID.fromString(adaChat.field("conversationId"));
        String base = "/api/sessions/" + adaSession;
        expect(201, commands.post(base + "/messages", Map.of("role", "user", "content", "how much?", "tokensUsed", 3)));
        UUID reply = UUID.fromString(expect(201, commands.post(base + "/messages", Map.of("role", "assistant",
                "content", "very little", "tokensUsed", 9, "model", "gpt-4o"))).field("messageId"));
        expect(201, commands.post(base + "/token-usage", Map.of("model", "gpt-4o", "inputTokens", 1234,
                "outputTokens", 567, "chatMessageId", reply)));
        expect(201, commands.post(base + "/token-usage", Map.of("model", "mystery-model", "inputTokens", 10,
                "outputTokens", 5)));
        UUID bobSession = UUID.fromString(expect(201, commands.post("/api/chat-sessions", Map.of("userId", bob)))
                .field("sessionId"));
        expect(201, commands.post("/api/sessions/" + bobSession + "/messages",
                Map.of("role", "user", "content", "bob's secret", "tokensUsed", 2)));
        UUID done = UUID.fromString(expect(201, commands.post("/api/pipelines", Map.of("userId", ada,
                "pipelineName", "summarise", "input", Map.of("text", "hello")))).field("id"));
        expect(200, commands.post("/api/pipelines/" + done + "/complete", Map.of("output", Map.of("summary", "hi"))));
        UUID failed = UUID.fromString(expect(201, commands.post("/api/pipelines", Map.of("userId", ada,
                "pipelineName", "translate"))).field("id"));
        expect(200, commands.post("/api/pipelines/" + failed + "/fail", Map.of("errorMessage", "timed out")));

        await("chats, charges and pipelines projected").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM chat.usage_tracking WHERE user_id = ?", ada)).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM chat.messages WHERE user_id IN (?, ?)", ada, bob)).isEqualTo(3);
            assertThat(count("SELECT count(*) FROM chat_app.chat_messages WHERE session_id IN (?, ?)",
                    adaSession.toString(), bobSession.toString())).isEqualTo(3);
            assertThat(jdbc.queryForList("SELECT status FROM chat_app.pipeline_executions WHERE user_id = ? ORDER BY status",
                    String.class, ada.toString())).containsExactly("completed", "failed");
        });

        assertThat(jdbc.queryForObject("SELECT cost FROM chat.usage_tracking WHERE model = 'gpt-4o' AND user_id = ?",
                BigDecimal.class, ada)).isEqualByComparingTo("0.008755");
        assertThat(jdbc.queryForObject("SELECT cost FROM chat.usage_tracking WHERE model = 'mystery-model' AND user_id = ?",
                BigDecimal.class, ada)).isNull();
        assertThat(jdbc.queryForMap("SELECT title, user_id FROM chat_app.chat_sessions WHERE id = ?", adaSession.toString()))
                .containsEntry("title", "costs").containsEntry("user_id", ada.toString());
        assertThat(jdbc.queryForList("SELECT model FROM chat_app.chat_messages WHERE session_id = ? AND role = 'assistant'",
                String.class, adaSession.toString())).containsExactly("gpt-4o");
        Map<String, Object> completed = jdbc.queryForMap(
                "SELECT output_data, error_message, duration_ms FROM chat_app.pipeline_executions WHERE id = ?", done.toString());
        assertThat((String) completed.get("output_data")).contains("\"summary\"").contains("\"hi\"");
        assertThat(completed.get("error_message")).isNull();
        assertThat((Integer) completed.get("duration_ms")).isNotNull().isNotNegative();
        assertThat(jdbc.queryForObject("SELECT error_message FROM chat_app.pipeline_executions WHERE id = ?",
                String.class, failed.toString())).isEqualTo("timed out");

        Http reads = new Http(projectionPort);
        Http.Answer adaConversations = reads.get("/api/chat/conversations", Map.of(USER_HEADER, ada.toString()));
        assertThat(adaConversations.status()).as(adaConversations.text()).isEqualTo(200);
        assertThat(adaConversations.body().path("items")).extracting(item -> item.path("id").asText())
                .containsExactly(adaConversation.toString());
        assertThat(reads.get("/api/chat/conversations", Map.of(USER_HEADER, bob.toString())).text())
                .doesNotContain(adaConversation.toString());
        assertThat(reads.get("/api/chat/conversations/" + adaConversation + "/messages",
                Map.of(USER_HEADER, bob.toString())).status()).as("ada's conversation, asked for by bob").isEqualTo(404);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Http.Answer daily = reads.get("/api/chat/usage/daily?from=" + today.minusDays(1) + "&to=" + today.plusDays(1),
                Map.of(USER_HEADER, ada.toString()));
        assertThat(daily.status()).as(daily.text()).isEqualTo(200);
        Map<String, JsonNode> byModel = new java.util.HashMap<>();
        daily.body().path("items").forEach(item -> byModel.put(item.path("model").asText(), item));
        assertThat(new BigDecimal(byModel.get("gpt-4o").path("cost").asText())).isEqualByComparingTo("0.008755");
        assertThat(byModel.get("mystery-model").path("unpricedCharges").asInt()).isEqualTo(1);

        String[] tables = {"auth.users", "chat.conversations", "chat.messages", "chat.usage_tracking",
                "chat_app.users", "chat_app.chat_sessions", "chat_app.chat_messages", "chat_app.pipeline_executions"};
        Map<String, List<Map<String, Object>>> before = dumpAll(tables);
        List<ConsumerRecord<String, byte[]>> everything = TopicRecords.readAll(brokers(), topic);
        batches.apply(chatProjector, everything);
        batches.apply(chatAppProjector, everything);

        assertThat(dumpAll(tables)).as("chat and chat_app after every record was delivered again").isEqualTo(before);
    }

    /**
     * An event store written by the build before MessagePosted.v2: a session and a v1 message stored as that
     * build stored them (payload revision NULL). command-service reads the v1 row through its upcaster and
     * publishes it as v2; every read model with messages projects it, with v2's defaults.
     */
    @Test
    void a_v1_message_stored_before_the_upgrade_is_published_as_v2_and_projected_by_every_read_model() throws Exception {
        UUID userId = register("lovelace");
        UUID sessionId = UUID.randomUUID();
        UUID conversationId = UUID.randomUUID();
        UUID messageId = UUID.randomUUID();
        storeAsTheBuildBeforeTheUpgradeDid(sessionId, 0, SessionStarted.class.getName(),
                new SessionStarted(sessionId, userId, conversationId, 3600, Instant.now().plusSeconds(3600)));
        storeAsTheBuildBeforeTheUpgradeDid(sessionId, 1, MessagePosted.class.getName(),
                new MessagePostedV1(sessionId, conversationId, messageId, 1, MessageRole.USER, "stored by v1", 4));

        await("the v1 message projected everywhere").atMost(PROJECTED).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM gateway.chat_messages WHERE id = ?", messageId)).isOne();
            assertThat(count("SELECT count(*) FROM builder.chat_messages WHERE id = ?", messageId)).isOne();
            assertThat(count("SELECT count(*) FROM todo.messages WHERE id = ?", messageId)).isOne();
            assertThat(count("SELECT count(*) FROM chat.messages WHERE id = ?", messageId)).isOne();
            assertThat(count("SELECT count(*) FROM chat_app.chat_messages WHERE id = ?", messageId.toString())).isOne();
        });
        assertThat(jdbc.queryForObject("SELECT content FROM gateway.chat_messages WHERE id = ?", String.class, messageId))
                .isEqualTo("stored by v1");
        assertThat(jdbc.queryForObject("SELECT attachments::text || ' ' || metadata::text FROM builder.chat_messages WHERE id = ?",
                String.class, messageId)).isEqualTo("[] {}");
        assertThat(jdbc.queryForObject("SELECT tool_calls FROM todo.messages WHERE id = ?", String.class, messageId)).isNull();
        assertThat(jdbc.queryForObject("SELECT model FROM chat.messages WHERE id = ?", String.class, messageId)).isNull();
        List<ConsumerRecord<String, byte[]>> published = TopicRecords.readAll(brokers(), topic).stream()
                .filter(record -> record.key().equals(sessionId.toString())).toList();
        assertThat(published).hasSize(2);
        assertThat(new String(published.get(1).value(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"type\":\"transcript.session.MessagePosted.v2\"").contains("\"attachments\":[]");
    }

    /**
     * Every record of the topic delivered again to builder and todo changes none of these users' rows: the
     * bookkeeping skips each as a redelivery. The bookkeeping alone would hide SQL that is not idempotent, so each
     * record is then also applied straight by the projectors, twice in a row: the second time must change no row of
     * any table ({@link StraightReplay}). Replayed so, the whole history must leave every row as it was, but the
     * {@code updated_at} seed 001's trigger stamps on each real change a replay makes again (a status going back
     * and forth).
     */
    private void assertEveryRecordAgainChangesNothingInBuilderAndTodo(UUID... users) {
        BuilderTables builder = new BuilderTables(jdbc);
        TodoTables todo = new TodoTables(jdbc);
        List<ConsumerRecord<String, byte[]>> everything = TopicRecords.readAll(brokers(), topic);
        awaitApplied(everything, BuilderProjector.READ_MODEL, TodoProjector.READ_MODEL);

        Map<String, List<Map<String, Object>>> builderRows = builder.dumpOf(users);
        Map<String, List<Map<String, Object>>> todoRows = todo.dumpOf(users);
        batches.apply(builderProjector, everything);
        batches.apply(todoProjector, everything);
        assertThat(builder.dumpOf(users)).as("builder after every record was delivered again").isEqualTo(builderRows);
        assertThat(todo.dumpOf(users)).as("todo after every record was delivered again").isEqualTo(todoRows);

        Map<String, List<Map<String, Object>>> builderAll = BuilderTables.withoutTriggerStamps(builder.dump());
        Map<String, List<Map<String, Object>>> todoAll = todo.dump();
        StraightReplay straight = new StraightReplay(transactions, decoder);
        straight.applyEachTwice(builderProjector, everything, builder::dump);
        straight.applyEachTwice(todoProjector, everything, todo::dump);
        assertThat(BuilderTables.withoutTriggerStamps(builder.dump()))
                .as("builder after the history was replayed straight").isEqualTo(builderAll);
        assertThat(todo.dump()).as("todo after the history was replayed straight").isEqualTo(todoAll);
    }

    /**
     * Until these read models' listeners have applied every one of these records: a replay racing them would see
     * rows change under it, and a record they had not reached yet would be no redelivery.
     */
    private void awaitApplied(List<ConsumerRecord<String, byte[]>> records, String... readModels) {
        Map<Integer, Long> ends = new java.util.HashMap<>();
        records.forEach(record -> ends.merge(record.partition(), record.offset() + 1, Math::max));
        await("every record applied by " + String.join(", ", readModels)).atMost(PROJECTED).untilAsserted(() -> {
            for (String readModel : readModels) {
                Map<Integer, Long> progress = new java.util.HashMap<>();
                jdbc.queryForList("SELECT partition, next_offset FROM projection.partition_progress "
                        + "WHERE read_model = ? AND topic = ?", readModel, topic)
                        .forEach(row -> progress.put((Integer) row.get("partition"), (Long) row.get("next_offset")));
                ends.forEach((partition, end) -> assertThat(progress.getOrDefault(partition, 0L))
                        .as("%s's next offset in partition %d", readModel, partition).isGreaterThanOrEqualTo(end));
            }
        });
    }

    private static Instant openedAt(TopicEvents events, UUID loginId) {
        return events.timeOf(LoginOpened.class, opened -> opened.loginId().equals(loginId));
    }

    /** The login's row; its expiry is the one answered, which PostgreSQL keeps to the microsecond. */
    private static void assertLogin(Map<String, Object> row, Map<String, Object> expected, Instant expiresAt) {
        assertThat((Instant) row.get("expires_at")).isCloseTo(expiresAt, within(1, ChronoUnit.MICROS));
        expected.put("expires_at", row.get("expires_at"));
        assertThat(row).isEqualTo(expected);
    }

    /**
     * The row as expected, but for {@code updated_at}, which seed 001's trigger set to the time its last change was
     * projected: after the event that made it, before now.
     */
    private static void assertStampedByTrigger(Map<String, Object> row, Map<String, Object> expected, Instant lastChange) {
        assertThat((Instant) row.get("updated_at")).as("updated_at, stamped by the trigger")
                .isBetween(lastChange, Instant.now());
        expected.put("updated_at", row.get("updated_at"));
        assertThat(row).isEqualTo(expected);
    }

    /** A row of eventstore.domain_event_entry as Axon wrote it before events carried a payload revision. */
    private void storeAsTheBuildBeforeTheUpgradeDid(UUID sessionId, long sequence, String payloadType, Object event)
            throws Exception {
        jdbc.update("""
                INSERT INTO eventstore.domain_event_entry (event_identifier, aggregate_identifier, sequence_number,
                    type, time_stamp, payload_type, payload_revision, payload, meta_data)
                VALUES (?, ?, ?, 'Session', ?, ?, NULL, ?, ?)""",
                UUID.randomUUID().toString(), sessionId.toString(), sequence,
                AXON_TIME.format(Instant.now()), payloadType, json.writeValueAsBytes(event),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private UUID register(String name) {
        return registerWith(uniqueEmail(name));
    }

    private UUID registerWith(String email) {
        return UUID.fromString(expect(201, commands.post("/api/users", Map.of(
                "email", email, "password", "correct horse battery", "role", "user"))).field("id"));
    }

    private static String uniqueEmail(String name) {
        return name + "+" + System.nanoTime() + "@example.com";
    }

    private int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }

    private Map<String, List<Map<String, Object>>> dumpAll(String... tables) {
        Map<String, List<Map<String, Object>>> dump = new java.util.LinkedHashMap<>();
        for (String table : tables) {
            dump.put(table, jdbc.queryForList("SELECT * FROM " + table + " ORDER BY id"));
        }
        return dump;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Http.Answer expect(int status, Http.Answer answer) {
        assertThat(answer.status())
                .as(() -> answer.text() + System.lineSeparator() + "command-service log ends:" + System.lineSeparator()
                        + commandService.tail())
                .isEqualTo(status);
        return answer;
    }

    private String brokers() {
        return String.join(",", kafka.getBootstrapServers());
    }
}
