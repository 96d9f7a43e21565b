package dev.transcript.projection.builder;

import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineStarted;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectUpdated;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.BuilderStory;
import dev.transcript.projection.support.BuilderTables;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.ProjectorOnPostgres;
import dev.transcript.projection.support.Published;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static dev.transcript.projection.support.BuilderTables.columns;
import static dev.transcript.projection.support.BuilderTables.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The builder projector (seed 001) on real PostgreSQL, one event type at a time: the event's predecessors are
 * applied, then the event, through {@link RecordBatches} as the listener applies a poll; the rows it leaves are
 * asserted column by column. Each event is then delivered again, once through the bookkeeping (a redelivered
 * record) and once straight to the projector (its SQL on its own), and the user's rows must stay exactly as they
 * were, {@code updated_at} included.
 *
 * <p>Events are timed from 2026-01-01, so that the {@code updated_at} seed 001's trigger sets on an UPDATE (the
 * time of projection) is visibly later than the event time an INSERT wrote.
 */
@ProjectorOnPostgres
@DirtiesContext // its own context, closed while its database exists rather than at the JVM's exit
class BuilderProjectorIT {

    private static final Instant T0 = Instant.parse("2026-01-01T09:00:00Z");
    private static final Duration LANDS = Duration.ofSeconds(30);

    /** The event types that change nothing in seed 001's tables, each declared here on purpose. */
    private static final Set<Class<? extends TranscriptEvent>> NOTHING_IN_BUILDER = Set.of(
            UserRoleChanged.class, SessionActivated.class, SessionExtended.class, SessionStopped.class,
            SessionExpired.class, SessionFailed.class, ConversationTitled.class, CheckpointCreated.class,
            TokenUsageRecorded.class, TaskCreated.class, TaskRenamed.class, TaskDescribed.class, TaskCompleted.class,
            TaskReopened.class, TaskDeleted.class, PipelineStarted.class, PipelineCompleted.class, PipelineFailed.class);

    /** The event types the tests below project, one test (at least) each. */
    private static final List<Class<? extends TranscriptEvent>> TESTED = List.of(
            UserRegistered.class, UserProfileChanged.class, UserDeactivated.class, UserReactivated.class,
            LoginOpened.class, LoginTouched.class, LoginClosed.class,
            SessionStarted.class, ChatSessionStarted.class,
            ContainerCreated.class, ContainerStarted.class, ContainerStopped.class, ContainerFailed.class,
            ContainerExposed.class, ContainerLabeled.class, ContainerDeleted.class,
            FileStored.class, FileDeleted.class, MessagePosted.class,
            ProjectCreated.class, ProjectUpdated.class, ProjectArchived.class, ProjectDeleted.class);

    @Autowired
    RecordBatches batches;
    @Autowired
    BuilderProjector projector;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;

    EventLog log;
    BuilderStory story;
    BuilderTables tables;
    Instant testStarted;

    @BeforeEach
    void aNewUser() {
        log = new EventLog(T0);
        story = new BuilderStory();
        tables = new BuilderTables(jdbc);
        testStarted = Instant.now();
    }

    @Test
    void every_event_type_of_the_catalogue_has_its_test_here_or_is_declared_to_change_nothing() {
        assertThat(TESTED).as("event types with a test below; a new type needs one, or a place in NOTHING_IN_BUILDER")
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .map(EventType::recordClass)
                        .filter(type -> !NOTHING_IN_BUILDER.contains(type))
                        .toList());
    }

    @Test
    void the_events_declared_to_change_nothing_in_builder_change_no_row_of_any_table() {
        startSandbox();
        deliver(story.containerCreated());
        deliver(story.message(1, MessageRole.USER, "hello"));
        Instant expiresAt = T0.plus(Duration.ofHours(1));
        UUID taskId = UUID.randomUUID();
        UUID pipelineId = UUID.randomUUID();
        List<TranscriptEvent> nothing = List.of(
                story.session.roleChanged(UserRole.ADMIN),
                story.session.activated(),
                story.session.extended(expiresAt, 600),
                new ConversationTitled(story.sessionId, story.conversationId, "a todo app"),
                story.session.checkpoint(UUID.randomUUID(), 1),
                story.session.tokenUsage(UUID.randomUUID(), story.messageId(1), "gpt-x", 100, 12),
                story.session.stopped(),
                story.session.expired(expiresAt),
                story.session.failed("OOM killed"),
                new TaskCreated(taskId, story.userId, "write tests", null),
                new TaskRenamed(taskId, "write more tests"),
                new TaskDescribed(taskId, "for the builder"),
                new TaskCompleted(taskId),
                new TaskReopened(taskId),
                new TaskDeleted(taskId),
                new PipelineStarted(pipelineId, story.userId, "summarise", Map.of("text", "hello")),
                new PipelineCompleted(pipelineId, Map.of("summary", "hi"), 1200),
                new PipelineFailed(UUID.randomUUID(), "timed out", 30_000));
        Map<String, List<Map<String, Object>>> before = tables.dump();

        Set<Class<?>> delivered = new LinkedHashSet<>();
        for (TranscriptEvent event : nothing) {
            Published published = deliver(event);
            assertThat(tables.dump()).as("every row after %s", published.type()).isEqualTo(before);
            delivered.add(event.getClass());
        }

        assertThat(delivered).as("one of each type declared to change nothing")
                .containsExactlyInAnyOrderElementsOf(NOTHING_IN_BUILDER);
    }

    // --- users ---

    @Test
    void a_registered_user_is_an_active_users_row_without_a_profile_created_and_updated_at_the_event_time() {
        Published registered = deliver(story.userRegistered());

        assertThat(tables.row("users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "name", null,
                "avatar_url", null,
                "created_at", registered.time(),
                "updated_at", registered.time(),
                "last_login", null,
                "is_active", true));
        assertRedeliveryChangesNothing(registered);
    }

    @Test
    void a_profile_change_sets_name_and_avatar_and_a_later_one_clears_them() {
        deliver(story.userRegistered());
        Map<String, Object> before = tables.row("users", story.userId);

        Published changed = deliver(story.profileChanged("Ada Lovelace", "https://cdn.example.com/ada.png"));

        assertThat(tables.row("users", story.userId)).isEqualTo(with(before, "name", "Ada Lovelace",
                "avatar_url", "https://cdn.example.com/ada.png", "updated_at", changed.time()));
        assertRedeliveryChangesNothing(changed);

        Published cleared = deliver(story.profileChanged(null, null));

        assertThat(tables.row("users", story.userId))
                .isEqualTo(with(before, "name", null, "avatar_url", null, "updated_at", cleared.time()));
        assertRedeliveryChangesNothing(cleared);
    }

    @Test
    void a_deactivated_user_is_inactive_since_the_event_time() {
        deliver(story.userRegistered());
        Map<String, Object> before = tables.row("users", story.userId);

        Published deactivated = deliver(story.deactivated());

        assertThat(tables.row("users", story.userId))
                .isEqualTo(with(before, "is_active", false, "updated_at", deactivated.time()));
        assertRedeliveryChangesNothing(deactivated);
    }

    @Test
    void a_reactivated_user_is_active_again_since_the_event_time() {
        deliver(story.userRegistered());
        Map<String, Object> before = tables.row("users", story.userId);
        deliver(story.deactivated());

        Published reactivated = deliver(story.reactivated());

        assertThat(tables.row("users", story.userId))
                .isEqualTo(with(before, "is_active", true, "updated_at", reactivated.time()));
        assertRedeliveryChangesNothing(reactivated);
    }

    // --- logins ---

    @Test
    void an_opened_login_is_an_active_sessions_row_with_the_token_hash_and_the_users_last_login() {
        deliver(story.userRegistered());
        Map<String, Object> user = tables.row("users", story.userId);
        Instant expiresAt = T0.plus(Duration.ofDays(30));

        Published opened = deliver(story.loginOpened(expiresAt));

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(columns(
                "id", story.loginId,
                "user_id", story.userId,
                "token", story.tokenSha256,
                "expires_at", expiresAt,
                "created_at", opened.time(),
                "last_activity", opened.time(),
                "ip_address", BuilderStory.IP_ADDRESS,
                "user_agent", BuilderStory.USER_AGENT,
                "is_active", true));
        assertThat(tables.row("users", story.userId)).isEqualTo(with(user, "last_login", opened.time()));
        assertRedeliveryChangesNothing(opened);

        // A later login moves last_login on; the earlier one, applied again, never moves it back.
        UUID secondLogin = UUID.randomUUID();
        Published later = deliver(new LoginOpened(story.userId, secondLogin, "ab".repeat(32), null, null, expiresAt));

        assertThat(tables.row("sessions", secondLogin))
                .containsEntry("ip_address", null).containsEntry("user_agent", null).containsEntry("token", "ab".repeat(32));
        assertThat(tables.row("users", story.userId)).isEqualTo(with(user, "last_login", later.time()));
        assertRedeliveryChangesNothing(later);
        assertRedeliveryChangesNothing(opened);
    }

    @Test
    void a_touched_login_was_last_active_at_the_event_time() {
        deliver(story.userRegistered());
        deliver(story.loginOpened(T0.plus(Duration.ofDays(30))));
        Map<String, Object> before = tables.row("sessions", story.loginId);

        Published touched = deliver(story.loginTouched());

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(with(before, "last_activity", touched.time()));
        assertRedeliveryChangesNothing(touched);
    }

    @Test
    void a_closed_login_is_inactive_and_keeps_its_last_activity() {
        deliver(story.userRegistered());
        deliver(story.loginOpened(T0.plus(Duration.ofDays(30))));
        deliver(story.loginTouched());
        Map<String, Object> before = tables.row("sessions", story.loginId);

        Published closed = deliver(story.loginClosed());

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(with(before, "is_active", false));
        assertRedeliveryChangesNothing(closed);
    }

    // --- sessions: their owner and conversation, remembered for containers and messages ---

    @Test
    void a_started_session_remembers_its_user_and_conversation_and_has_no_builder_row() {
        deliver(story.userRegistered());
        Map<String, Integer> counts = tables.countsOf(story.userId);

        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));

        assertThat(tables.owner(story.sessionId))
                .containsEntry("user_id", story.userId)
                .containsEntry("conversation_id", story.conversationId);
        Map<String, Integer> expected = new LinkedHashMap<>(counts);
        expected.put("projection.session_owner", 1);
        assertThat(tables.countsOf(story.userId)).isEqualTo(expected);
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_started_chat_session_remembers_its_user_and_conversation_and_has_no_builder_row() {
        deliver(story.userRegistered());

        Published started = deliver(story.chatSessionStarted("just chatting"));

        assertThat(tables.owner(story.chatSessionId))
                .containsEntry("user_id", story.userId)
                .containsEntry("conversation_id", story.chatConversationId);
        assertThat(tables.countsOf(story.userId)).containsEntry("builder.users", 1)
                .containsEntry("builder.containers", 0).containsEntry("projection.session_owner", 1);
        assertRedeliveryChangesNothing(started);
    }

    // --- containers: the row of a session's container has the session's id ---

    @Test
    void a_created_container_is_a_created_containers_row_of_the_sessions_user_and_takes_the_earlier_messages() {
        startSandbox();
        deliver(story.message(1, MessageRole.USER, "build me a todo app"));
        deliver(story.message(2, MessageRole.ASSISTANT, "on it"));
        assertThat(tables.row("chat_messages", story.messageId(1))).containsEntry("container_id", null);

        Published created = deliver(story.containerCreated());

        assertThat(tables.row("containers", story.sessionId)).isEqualTo(columns(
                "id", story.sessionId,
                "container_id", story.containerId,
                "name", story.containerName,
                "status", "created",
                "image_name", "python:3.12",
                "assigned_port", null,
                "url", null,
                "created_at", created.time(),
                "updated_at", created.time(),
                "started_at", null,
                "stopped_at", null,
                "user_id", story.userId,
                "labels", Map.of(),
                "metadata", Map.of()));
        assertThat(tables.row("chat_messages", story.messageId(1))).containsEntry("container_id", story.sessionId);
        assertThat(tables.row("chat_messages", story.messageId(2))).containsEntry("container_id", story.sessionId);
        assertRedeliveryChangesNothing(created);
    }

    @Test
    void a_started_container_is_running_since_the_event_time() {
        startSandbox();
        deliver(story.containerCreated());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published started = deliver(story.containerStarted());

        assertUpdatedByTrigger("containers", story.sessionId, before, "status", "running", "started_at", started.time());
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_stopped_container_is_stopped_since_the_event_time_and_keeps_its_start() {
        startSandbox();
        deliver(story.containerCreated());
        Published started = deliver(story.containerStarted());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published stopped = deliver(story.containerStopped());

        assertUpdatedByTrigger("containers", story.sessionId, before, "status", "stopped", "stopped_at", stopped.time());
        assertThat(tables.row("containers", story.sessionId)).containsEntry("started_at", started.time());
        assertRedeliveryChangesNothing(stopped);
    }

    @Test
    void a_failed_container_is_stopped_since_the_event_time_as_seed_001_has_no_error_status() {
        startSandbox();
        deliver(story.containerCreated());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published failed = deliver(story.containerFailed("image not found"));

        assertUpdatedByTrigger("containers", story.sessionId, before, "status", "stopped", "stopped_at", failed.time());
        assertThat(tables.row("containers", story.sessionId)).containsEntry("started_at", null);
        assertRedeliveryChangesNothing(failed);
    }

    @Test
    void an_exposed_container_has_its_port_and_url() {
        startSandbox();
        deliver(story.containerCreated());
        deliver(story.containerStarted());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published exposed = deliver(story.containerExposed(49153, "http://127.0.0.1:49153"));

        assertUpdatedByTrigger("containers", story.sessionId, before,
                "assigned_port", 49153, "url", "http://127.0.0.1:49153");
        assertRedeliveryChangesNothing(exposed);
    }

    @Test
    void a_labeled_container_has_its_labels_and_metadata_as_json_objects_replaced_whole() {
        startSandbox();
        deliver(story.containerCreated());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published labeled = deliver(story.containerLabeled(Map.of("app", "todo", "tier", "sandbox"),
                Map.of("node", "worker-1", "gpu", false, "ports", List.of(3000, 5173), "limits", Map.of("cpu", 1.5))));

        assertUpdatedByTrigger("containers", story.sessionId, before,
                "labels", Map.of("app", "todo", "tier", "sandbox"),
                "metadata", Map.of("node", "worker-1", "gpu", false, "ports", List.of(3000, 5173),
                        "limits", Map.of("cpu", 1.5)));
        assertRedeliveryChangesNothing(labeled);

        Published relabeled = deliver(story.containerLabeled(Map.of("app", "notes"), Map.of()));

        assertThat(tables.row("containers", story.sessionId))
                .containsEntry("labels", Map.of("app", "notes")).containsEntry("metadata", Map.of());
        assertRedeliveryChangesNothing(relabeled);
    }

    @Test
    void a_deleted_container_keeps_its_row_with_status_deleted() {
        startSandbox();
        deliver(story.containerCreated());
        deliver(story.containerStarted());
        deliver(story.containerStopped());
        Map<String, Object> before = tables.row("containers", story.sessionId);

        Published deleted = deliver(story.containerDeleted());

        assertUpdatedByTrigger("containers", story.sessionId, before, "status", "deleted");
        assertRedeliveryChangesNothing(deleted);
    }

    // --- files ---

    @Test
    void a_stored_file_is_a_file_storage_row_in_the_sessions_container() {
        startSandbox();
        deliver(story.containerCreated());
        UUID fileId = UUID.randomUUID();
        UUID untyped = UUID.randomUUID();

        Published stored = deliver(story.fileStored(fileId, "/workspace/app/page.tsx", 1234, "text/typescript"));

        assertThat(tables.row("file_storage", fileId)).isEqualTo(columns(
                "id", fileId,
                "container_id", story.sessionId,
                "file_path", "/workspace/app/page.tsx",
                "file_name", "page.tsx",
                "file_size", 1234L,
                "mime_type", "text/typescript",
                "created_at", stored.time(),
                "updated_at", stored.time(),
                "is_deleted", false));
        assertRedeliveryChangesNothing(stored);

        Published storedUntyped = deliver(story.fileStored(untyped, "/workspace/LICENSE", 0, null));

        assertThat(tables.row("file_storage", untyped)).containsEntry("mime_type", null).containsEntry("file_size", 0L)
                .containsEntry("file_name", "LICENSE");
        assertRedeliveryChangesNothing(storedUntyped);
    }

    @Test
    void a_deleted_file_keeps_its_row_marked_deleted() {
        startSandbox();
        deliver(story.containerCreated());
        UUID fileId = UUID.randomUUID();
        deliver(story.fileStored(fileId, "/workspace/app/page.tsx", 1234, "text/typescript"));
        Map<String, Object> before = tables.row("file_storage", fileId);

        Published deleted = deliver(story.fileDeleted(fileId));

        assertUpdatedByTrigger("file_storage", fileId, before, "is_deleted", true);
        assertRedeliveryChangesNothing(deleted);
    }

    // --- chat messages ---

    @Test
    void a_posted_message_is_a_chat_message_of_the_conversation_in_the_sessions_container() {
        startSandbox();
        deliver(story.containerCreated());

        Published posted = deliver(story.message(1, MessageRole.USER, "build me a todo app",
                List.of(Map.of("name", "spec.pdf", "size", 2048)), Map.of("client", "web", "draft", false)));

        assertThat(tables.row("chat_messages", story.messageId(1))).isEqualTo(columns(
                "id", story.messageId(1),
                "container_id", story.sessionId,
                "session_id", story.conversationId.toString(),
                "role", "user",
                "content", "build me a todo app",
                "attachments", List.of(Map.of("name", "spec.pdf", "size", 2048)),
                "created_at", posted.time(),
                "metadata", Map.of("client", "web", "draft", false)));
        assertRedeliveryChangesNothing(posted);

        Published answered = deliver(story.message(2, MessageRole.ASSISTANT, "sure: which stack?"));
        Published system = deliver(story.message(3, MessageRole.SYSTEM, "the container restarted"));

        assertThat(tables.row("chat_messages", story.messageId(2))).containsEntry("role", "assistant")
                .containsEntry("attachments", List.of()).containsEntry("metadata", Map.of())
                .containsEntry("created_at", answered.time());
        assertThat(tables.row("chat_messages", story.messageId(3))).containsEntry("role", "system");
        assertRedeliveryChangesNothing(answered);
        assertRedeliveryChangesNothing(system);
    }

    @Test
    void a_message_of_a_chat_session_has_its_conversation_and_no_container() {
        deliver(story.userRegistered());
        deliver(story.chatSessionStarted(null));
        UUID messageId = UUID.randomUUID();

        Published posted = deliver(story.chatMessage(messageId, 1, MessageRole.USER, "what is a monad?"));

        assertThat(tables.row("chat_messages", messageId)).isEqualTo(columns(
                "id", messageId,
                "container_id", null,
                "session_id", story.chatConversationId.toString(),
                "role", "user",
                "content", "what is a monad?",
                "attachments", List.of(),
                "created_at", posted.time(),
                "metadata", Map.of()));
        assertRedeliveryChangesNothing(posted);
    }

    @Test
    void a_v1_message_is_upcast_and_projected_with_no_attachments_and_empty_metadata() throws Exception {
        startSandbox();
        deliver(story.containerCreated());

        Published v1 = deliver(story.messageV1(1, MessageRole.USER, "posted before v2"));

        assertThat(v1.type()).isEqualTo("transcript.session.MessagePosted.v1");
        JsonNode data = new ObjectMapper().readTree(v1.value()).get("data");
        assertThat(data.has("content")).as("v1 data: %s", data).isTrue();
        assertThat(data.has("attachments") || data.has("metadata") || data.has("toolCalls") || data.has("model"))
                .as("v1 data has none of v2's fields: %s", data).isFalse();
        assertThat(tables.row("chat_messages", story.messageId(1))).isEqualTo(columns(
                "id", story.messageId(1),
                "container_id", story.sessionId,
                "session_id", story.conversationId.toString(),
                "role", "user",
                "content", "posted before v2",
                "attachments", List.of(),
                "created_at", v1.time(),
                "metadata", Map.of()));
        assertRedeliveryChangesNothing(v1);
    }

    // --- projects ---

    @Test
    void a_created_project_is_an_active_projects_row_in_its_sessions_container_or_in_none() {
        startSandbox();
        deliver(story.containerCreated());
        UUID inContainer = UUID.randomUUID();
        UUID standalone = UUID.randomUUID();

        Published created = deliver(story.projectCreated(inContainer, "todo", true));

        assertThat(tables.row("projects", inContainer)).isEqualTo(columns(
                "id", inContainer,
                "container_id", story.sessionId,
                "name", "todo",
                "description", "the todo app",
                "type", "nextjs",
                "status", "active",
                "created_at", created.time(),
                "updated_at", created.time(),
                "user_id", story.userId,
                "metadata", Map.of("template", "starter"),
                "settings", Map.of("framework", "next", "port", 3000)));
        assertRedeliveryChangesNothing(created);

        Published alone = deliver(story.projectCreated(standalone, "notes", false));

        assertThat(tables.row("projects", standalone)).containsEntry("container_id", null)
                .containsEntry("name", "notes").containsEntry("created_at", alone.time());
        assertRedeliveryChangesNothing(alone);
    }

    @Test
    void an_updated_project_has_its_name_description_type_settings_and_metadata_replaced() {
        deliver(story.userRegistered());
        UUID projectId = UUID.randomUUID();
        deliver(story.projectCreated(projectId, "todo", false));
        Map<String, Object> before = tables.row("projects", projectId);

        Published updated = deliver(story.projectUpdated(projectId, "todo-react", null, "react",
                Map.of("framework", "vite"), Map.of("template", "blank", "stars", 3)));

        assertUpdatedByTrigger("projects", projectId, before, "name", "todo-react", "description", null,
                "type", "react", "settings", Map.of("framework", "vite"),
                "metadata", Map.of("template", "blank", "stars", 3));
        assertRedeliveryChangesNothing(updated);
    }

    @Test
    void an_archived_project_is_archived() {
        deliver(story.userRegistered());
        UUID projectId = UUID.randomUUID();
        deliver(story.projectCreated(projectId, "todo", false));
        Map<String, Object> before = tables.row("projects", projectId);

        Published archived = deliver(story.projectArchived(projectId));

        assertUpdatedByTrigger("projects", projectId, before, "status", "archived");
        assertRedeliveryChangesNothing(archived);
    }

    @Test
    void a_deleted_project_keeps_its_row_with_status_deleted() {
        deliver(story.userRegistered());
        UUID projectId = UUID.randomUUID();
        deliver(story.projectCreated(projectId, "todo", false));
        deliver(story.projectArchived(projectId));
        Map<String, Object> before = tables.row("projects", projectId);

        Published deleted = deliver(story.projectDeleted(projectId));

        assertUpdatedByTrigger("projects", projectId, before, "status", "deleted");
        assertRedeliveryChangesNothing(deleted);
    }

    // --- seed 001's trigger ---

    @Test
    void an_update_moves_updated_at_to_the_time_of_projection_and_a_redelivered_one_does_not_move_it_again() {
        startSandbox();
        Published containerCreated = deliver(story.containerCreated());
        UUID fileId = UUID.randomUUID();
        Published fileStored = deliver(story.fileStored(fileId, "/workspace/README.md", 10, "text/markdown"));
        UUID projectId = UUID.randomUUID();
        Published projectCreated = deliver(story.projectCreated(projectId, "todo", true));
        Map<String, Object> inserted = Map.of(
                "containers", tables.row("containers", story.sessionId).get("updated_at"),
                "file_storage", tables.row("file_storage", fileId).get("updated_at"),
                "projects", tables.row("projects", projectId).get("updated_at"));
        assertThat(inserted).as("inserted with the event times").isEqualTo(Map.of(
                "containers", containerCreated.time(), "file_storage", fileStored.time(),
                "projects", projectCreated.time()));

        List<Published> updates = List.of(
                deliver(story.containerStarted()),
                deliver(story.fileDeleted(fileId)),
                deliver(story.projectArchived(projectId)));

        Map<String, Object> updated = Map.of(
                "containers", tables.row("containers", story.sessionId).get("updated_at"),
                "file_storage", tables.row("file_storage", fileId).get("updated_at"),
                "projects", tables.row("projects", projectId).get("updated_at"));
        updated.forEach((table, updatedAt) -> assertThat((Instant) updatedAt)
                .as("%s.updated_at: the time of projection, not of the event", table)
                .isAfter((Instant) inserted.get(table))
                .isAfter(updates.getLast().time())
                .isAfterOrEqualTo(testStarted.minusSeconds(5)));

        for (Published update : updates) {
            assertRedeliveryChangesNothing(update);
        }
        assertThat(tables.row("containers", story.sessionId)).containsEntry("updated_at", updated.get("containers"));
        assertThat(tables.row("file_storage", fileId)).containsEntry("updated_at", updated.get("file_storage"));
        assertThat(tables.row("projects", projectId)).containsEntry("updated_at", updated.get("projects"));
    }

    // --- parents in other partitions ---

    @Test
    void a_container_created_before_its_user_waits_parked_with_what_follows_and_lands_with_the_user() {
        deliver(story.sessionStarted(log.now().plusSeconds(1)));
        Published created = deliverParked(story.containerCreated());
        deliverParked(story.message(1, MessageRole.USER, "hello"));

        List<Map<String, Object>> parked = parkedOf(story.sessionId.toString());
        assertThat(parked).extracting(row -> row.get("sequence")).containsExactly(1L, 2L);
        assertThat(parked.getFirst()).containsEntry("event_id", created.id())
                .containsEntry("waiting_for", story.userId.toString());
        assertThat((String) parked.getFirst().get("reason")).contains(story.userId.toString());
        assertThat(parked.get(1)).containsEntry("waiting_for", null);
        assertThat(tables.row("containers", story.sessionId)).as("no container before its user").isEmpty();

        Published registered = deliver(story.userRegistered());

        await("the container landed with its user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(story.sessionId.toString())).isEmpty();
            assertThat(tables.row("containers", story.sessionId))
                    .containsEntry("user_id", story.userId)
                    .containsEntry("status", "created")
                    .containsEntry("created_at", created.time());
        });
        assertThat(tables.row("chat_messages", story.messageId(1))).containsEntry("container_id", story.sessionId);
        assertThat(tables.row("users", story.userId)).containsEntry("created_at", registered.time());
        assertThat(lastSequenceOf(story.sessionId.toString())).isEqualTo(2L);
    }

    @Test
    void a_project_created_before_its_user_waits_parked_and_lands_with_the_user() {
        UUID projectId = UUID.randomUUID();
        Published created = deliverParked(story.projectCreated(projectId, "todo", false));

        assertThat(parkedOf(projectId.toString())).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("waiting_for", story.userId.toString()));
        assertThat(tables.row("projects", projectId)).isEmpty();

        deliver(story.userRegistered());

        await("the project landed with its user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(projectId.toString())).isEmpty();
            assertThat(tables.row("projects", projectId))
                    .containsEntry("user_id", story.userId)
                    .containsEntry("status", "active")
                    .containsEntry("created_at", created.time());
        });
        assertThat(lastSequenceOf(projectId.toString())).isZero();
    }

    @Test
    void a_project_created_before_its_sessions_container_waits_parked_and_lands_with_the_container() {
        startSandbox();
        UUID projectId = UUID.randomUUID();
        Published created = deliverParked(story.projectCreated(projectId, "todo", true));

        assertThat(parkedOf(projectId.toString())).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("waiting_for", story.sessionId.toString()));
        assertThat(tables.row("projects", projectId)).isEmpty();

        deliver(story.containerCreated());

        await("the project landed with its container").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(projectId.toString())).isEmpty();
            assertThat(tables.row("projects", projectId))
                    .containsEntry("container_id", story.sessionId)
                    .containsEntry("created_at", created.time());
        });
    }

    @Test
    void a_project_waiting_for_its_user_then_for_its_container_is_woken_by_the_container() {
        deliver(story.sessionStarted(log.now().plusSeconds(1))); // only session_owner; the user is not there yet
        UUID projectId = UUID.randomUUID();
        deliverParked(story.projectCreated(projectId, "todo", true));
        assertThat(parkedOf(projectId.toString())).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("waiting_for", story.userId.toString()));

        deliver(story.userRegistered());

        // Retried once the user is there, it waits for the session's container now, and says so: the
        // container's arrival must wake it, not its back-off timer.
        await("the project waits for the container").atMost(LANDS).untilAsserted(() ->
                assertThat(parkedOf(projectId.toString())).singleElement()
                        .satisfies(row -> assertThat(row).containsEntry("waiting_for", story.sessionId.toString())));
    }

    // --- helpers ---

    /** The user registered and their sandbox session started. */
    private void startSandbox() {
        deliver(story.userRegistered());
        deliver(story.sessionStarted(log.now().plusSeconds(1)));
    }

    /** Publishes the event and applies it as a poll of one record; it must be applied, not parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(lastSequenceOf(published.key())).as("applied: %s", published.type()).isEqualTo(published.sequence());
        assertThat(parkedOf(published.key())).as("nothing parked of %s", published.key()).isEmpty();
        return published;
    }

    /** Publishes the event and applies it as a poll of one record; it must be parked, its aggregate not advanced. */
    private Published deliverParked(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(parkedOf(published.key())).as("parked: %s", published.type())
                .extracting(row -> row.get("event_id")).contains(published.id());
        Long position = lastSequenceOf(published.key());
        assertThat(position == null ? -1L : position).as("position of %s", published.key())
                .isLessThan(published.sequence());
        return published;
    }

    /**
     * Delivers the event a second time, as a redelivered record through the bookkeeping, then has the projector
     * apply it once more on its own (every statement idempotent by itself): the user's rows must be identical,
     * {@code updated_at} included (an update that would change nothing must not fire seed 001's trigger).
     */
    private void assertRedeliveryChangesNothing(Published event) {
        Map<String, List<Map<String, Object>>> once = tables.dumpOf(story.userId);
        Map<String, Integer> counts = tables.countsOf(story.userId);
        Long position = lastSequenceOf(event.key());
        assertThat(position).as("applied before: %s", event.type()).isGreaterThanOrEqualTo(event.sequence());

        batches.apply(projector, List.of(event.consumerRecord()));

        assertThat(tables.countsOf(story.userId)).as("row counts after a redelivery").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after a redelivery").isEqualTo(once);
        assertThat(lastSequenceOf(event.key())).as("position after a redelivery").isEqualTo(position);

        Outcome outcome = transactions.execute(status -> projector.apply(decoder.decode(event.consumerRecord())));

        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(tables.countsOf(story.userId)).as("row counts after the projector applied it twice").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after the projector applied it twice").isEqualTo(once);
    }

    /**
     * The row has these columns changed and every other as it was, but {@code updated_at}: seed 001's trigger
     * set it to the time of projection, later than the event time it was inserted with.
     */
    private void assertUpdatedByTrigger(String table, UUID id, Map<String, Object> before, Object... namesAndValues) {
        Map<String, Object> after = tables.row(table, id);
        assertThat((Instant) after.get("updated_at")).as("%s.updated_at, set by the trigger", table)
                .isAfter((Instant) before.get("updated_at"))
                .isAfterOrEqualTo(testStarted.minusSeconds(5));
        Map<String, Object> expected = with(before, namesAndValues);
        expected.put("updated_at", after.get("updated_at"));
        assertThat(after).isEqualTo(expected);
    }

    private Long lastSequenceOf(String aggregateId) {
        return jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'builder' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }

    private List<Map<String, Object>> parkedOf(String aggregateId) {
        return new ArrayList<>(jdbc.queryForList("""
                SELECT sequence, event_id, waiting_for, reason FROM projection.parked_event
                WHERE read_model = 'builder' AND aggregate_id = ? ORDER BY sequence""", aggregateId));
    }
}
