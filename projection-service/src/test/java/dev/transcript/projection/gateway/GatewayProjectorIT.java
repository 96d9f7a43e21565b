package dev.transcript.projection.gateway;

import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ContainerDeleted;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.FileDeleted;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserReactivated;
import org.postgresql.PGStatement;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerFailed;
import dev.transcript.events.session.ContainerStarted;
import dev.transcript.events.session.ContainerStopped;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionActivated;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionExtended;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.events.user.UserRoleChanged;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.GatewayTables;
import dev.transcript.projection.support.ProjectorOnPostgres;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway projector on real PostgreSQL, one event type at a time: the event's predecessors are applied,
 * then the event, through {@link RecordBatches} as the listener applies a poll; the rows it leaves are asserted
 * column by column. Each event is then delivered again, once through the bookkeeping (a redelivered record) and
 * once straight to the projector (its SQL on its own), and the user's rows must stay exactly as they were.
 */
@ProjectorOnPostgres
@DirtiesContext // its own context, closed while its database exists rather than at the JVM's exit
class GatewayProjectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    /** How the gateway tables read back {@code 'infinity'}, a chat session's expiry (PgJDBC's positive infinity). */
    private static final Instant NEVER = Instant.ofEpochMilli(PGStatement.DATE_POSITIVE_INFINITY);

    @Autowired
    RecordBatches batches;
    @Autowired
    GatewayProjector projector;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;

    EventLog log;
    SessionStory story;
    GatewayTables tables;

    @BeforeEach
    void aNewUserAndSession() {
        log = new EventLog(T0);
        story = new SessionStory();
        tables = new GatewayTables(jdbc);
    }

    @Test
    void every_event_type_of_the_catalogue_has_its_test_here() {
        assertThat(TESTED).as("event types with a test below; a new type needs one")
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .filter(type -> type.stream().equals("user") || type.stream().equals("session"))
                        .map(EventType::recordClass).toList());
    }

    // --- user ---

    @Test
    void a_registered_user_becomes_a_users_row_with_the_event_time_as_created_at() {
        Published registered = deliver(story.userRegistered());

        assertThat(tables.row("users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "password_hash", SessionStory.PASSWORD_HASH,
                "role", "user",
                "created_at", registered.time()));
        assertRedeliveryChangesNothing(registered);
    }

    @Test
    void a_role_change_sets_the_users_role_and_nothing_else() {
        Published registered = deliver(story.userRegistered());
        Published changed = deliver(story.roleChanged(UserRole.ADMIN));

        assertThat(tables.row("users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "password_hash", SessionStory.PASSWORD_HASH,
                "role", "admin",
                "created_at", registered.time()));
        assertRedeliveryChangesNothing(changed);
    }

    // --- session lifecycle ---

    @Test
    void a_started_session_becomes_a_pending_session_with_its_empty_conversation() {
        deliver(story.userRegistered());
        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));
        Instant expiresAt = ((SessionStarted) started.event()).expiresAt();

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(columns(
                "id", story.sessionId,
                "status", "pending",
                "container_id", null,
                "created_at", started.time(),
                "expires_at", expiresAt,
                "last_activity_at", null,
                "user_id", story.userId));
        assertThat(tables.row("conversations", story.conversationId)).isEqualTo(columns(
                "id", story.conversationId,
                "session_id", story.sessionId,
                "messages_count", 0,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void an_activated_session_is_active() {
        startSession();
        deliver(story.containerCreated());
        deliver(story.containerStarted());
        Map<String, Object> before = tables.row("sessions", story.sessionId);

        Published activated = deliver(story.activated());

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(with(before, "status", "active"));
        assertRedeliveryChangesNothing(activated);
    }

    @Test
    void an_extended_session_expires_at_the_new_expiry() {
        Instant expiresAt = startSession();
        Map<String, Object> before = tables.row("sessions", story.sessionId);

        Published extended = deliver(story.extended(expiresAt, 600));

        assertThat(tables.row("sessions", story.sessionId))
                .isEqualTo(with(before, "expires_at", expiresAt.plusSeconds(600)));
        assertRedeliveryChangesNothing(extended);
    }

    @Test
    void a_stopped_session_is_stopped() {
        startSession();
        Map<String, Object> before = tables.row("sessions", story.sessionId);

        Published stopped = deliver(story.stopped());

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(with(before, "status", "stopped"));
        assertRedeliveryChangesNothing(stopped);
    }

    @Test
    void an_expired_session_is_expired() {
        Instant expiresAt = startSession();
        Map<String, Object> before = tables.row("sessions", story.sessionId);

        Published expired = deliver(story.expired(expiresAt));

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(with(before, "status", "expired"));
        assertRedeliveryChangesNothing(expired);
    }

    @Test
    void a_failed_session_is_in_error() {
        startSession();
        deliver(story.containerCreated());
        deliver(story.containerFailed("OOM killed"));
        Map<String, Object> before = tables.row("sessions", story.sessionId);

        Published failed = deliver(story.failed("OOM killed"));

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(with(before, "status", "error"));
        assertRedeliveryChangesNothing(failed);
    }

    // --- container ---

    @Test
    void a_created_container_becomes_a_creating_containers_row_named_by_its_session() {
        startSession();
        Map<String, Object> session = tables.row("sessions", story.sessionId);

        Published created = deliver(story.containerCreated());

        assertThat(tables.row("containers", story.containerId)).isEqualTo(columns(
                "id", story.containerId,
                "session_id", story.sessionId,
                "container_name", story.containerName,
                "image", "python:3.12",
                "status", "creating",
                "cpu_limit", new BigDecimal("1.50"),
                "memory_limit_mb", 2048,
                "created_at", created.time(),
                "started_at", null,
                "stopped_at", null));
        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(with(session, "container_id", story.containerId));
        assertRedeliveryChangesNothing(created);
    }

    @Test
    void a_started_container_is_running_since_the_event_time() {
        startSession();
        deliver(story.containerCreated());
        Map<String, Object> before = tables.row("containers", story.containerId);

        Published started = deliver(story.containerStarted());

        assertThat(tables.row("containers", story.containerId))
                .isEqualTo(with(before, "status", "running", "started_at", started.time()));
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_stopped_container_is_stopped_since_the_event_time_and_keeps_its_start() {
        startSession();
        deliver(story.containerCreated());
        Published started = deliver(story.containerStarted());
        Map<String, Object> before = tables.row("containers", story.containerId);

        Published stopped = deliver(story.containerStopped());

        assertThat(tables.row("containers", story.containerId))
                .isEqualTo(with(before, "status", "stopped", "stopped_at", stopped.time()))
                .containsEntry("started_at", started.time());
        assertRedeliveryChangesNothing(stopped);
    }

    @Test
    void a_failed_container_is_in_error_since_the_event_time() {
        startSession();
        deliver(story.containerCreated());
        Map<String, Object> before = tables.row("containers", story.containerId);

        Published failed = deliver(story.containerFailed("image not found"));

        assertThat(tables.row("containers", story.containerId))
                .isEqualTo(with(before, "status", "error", "stopped_at", failed.time()))
                .containsEntry("started_at", null);
        assertRedeliveryChangesNothing(failed);
    }

    // --- conversation ---

    @Test
    void a_posted_message_is_a_chat_message_counted_in_its_conversation_and_its_sessions_activity() {
        startSession();
        Map<String, Object> session = tables.row("sessions", story.sessionId);
        Map<String, Object> conversation = tables.row("conversations", story.conversationId);

        Published first = deliver(story.message(1, MessageRole.USER, "build me a todo app", 7));

        assertThat(tables.row("chat_messages", story.messageId(1))).isEqualTo(columns(
                "id", story.messageId(1),
                "conversation_id", story.conversationId,
                "role", "user",
                "content", "build me a todo app",
                "tokens_used", 7,
                "created_at", first.time()));
        assertThat(tables.row("conversations", story.conversationId))
                .isEqualTo(with(conversation, "messages_count", 1, "updated_at", first.time()));
        assertThat(tables.row("sessions", story.sessionId))
                .isEqualTo(with(session, "last_activity_at", first.time()));
        assertRedeliveryChangesNothing(first);

        Published second = deliver(story.message(2, MessageRole.ASSISTANT, "sure: which stack?", 12));

        assertThat(tables.row("chat_messages", story.messageId(2)))
                .containsEntry("role", "assistant").containsEntry("created_at", second.time());
        assertThat(tables.row("conversations", story.conversationId))
                .isEqualTo(with(conversation, "messages_count", 2, "updated_at", second.time()));
        assertThat(tables.row("sessions", story.sessionId))
                .isEqualTo(with(session, "last_activity_at", second.time()));
        assertRedeliveryChangesNothing(second);
    }

    @Test
    void a_checkpoint_is_a_git_checkpoints_row() {
        startSession();
        deliver(story.message(1, MessageRole.USER, "hello", 3));
        UUID checkpointId = UUID.randomUUID();

        Published checkpoint = deliver(story.checkpoint(checkpointId, 1));

        assertThat(tables.row("git_checkpoints", checkpointId)).isEqualTo(columns(
                "id", checkpointId,
                "session_id", story.sessionId,
                "commit_hash", "a1b2c3d4e5",
                "message_number", 1,
                "description", "scaffold",
                "files_changed", 7,
                "created_at", checkpoint.time()));
        assertRedeliveryChangesNothing(checkpoint);
    }

    @Test
    void a_token_usage_is_a_token_usage_row_with_or_without_its_message() {
        startSession();
        deliver(story.message(1, MessageRole.ASSISTANT, "hi", 12));
        UUID ofMessage = UUID.randomUUID();
        UUID ofNoMessage = UUID.randomUUID();

        Published charged = deliver(story.tokenUsage(ofMessage, story.messageId(1), "gpt-x", 100, 12));
        assertRedeliveryChangesNothing(charged);
        Published unattributed = deliver(story.tokenUsage(ofNoMessage, null, "embedder", 50, 0));
        assertRedeliveryChangesNothing(unattributed);

        assertThat(tables.row("token_usage", ofMessage)).isEqualTo(
                tokenUsageRow(ofMessage, story.messageId(1), "gpt-x", 100, 12, 112, charged.time()));
        assertThat(tables.row("token_usage", ofNoMessage)).isEqualTo(
                tokenUsageRow(ofNoMessage, null, "embedder", 50, 0, 50, unattributed.time()));
    }

    @Test
    void a_v1_token_usage_is_read_upcast_and_is_the_same_token_usage_row_as_a_v2_one() {
        startSession();
        deliver(story.message(1, MessageRole.ASSISTANT, "hi", 12));
        UUID usageId = UUID.randomUUID();

        Published v1 = deliver(story.tokenUsageV1(usageId, story.messageId(1), "gpt-x", 100, 12));

        assertThat(v1.type()).isEqualTo("transcript.session.TokenUsageRecorded.v1");
        assertThat(tables.row("token_usage", usageId)).isEqualTo(
                tokenUsageRow(usageId, story.messageId(1), "gpt-x", 100, 12, 112, v1.time()));
        assertRedeliveryChangesNothing(v1);
    }

    /** The gateway.token_usage row a charge of this session leaves. */
    private Map<String, Object> tokenUsageRow(UUID usageId, UUID chatMessageId, String model, int inputTokens,
                                              int outputTokens, int totalTokens, Instant time) {
        return columns("id", usageId, "session_id", story.sessionId, "conversation_id", story.conversationId,
                "chat_message_id", chatMessageId, "model", model, "input_tokens", inputTokens,
                "output_tokens", outputTokens, "total_tokens", totalTokens, "created_at", time);
    }

    // --- what seed 000 has no column for: profiles, activation, logins

    @Test
    void a_profile_change_changes_no_row() {
        deliver(story.userRegistered());

        assertChangesNoRow(new UserProfileChanged(story.userId, "Ada Lovelace", "https://example.com/ada.png"));
    }

    @Test
    void a_deactivated_user_keeps_its_row_unchanged() {
        deliver(story.userRegistered());

        assertChangesNoRow(new UserDeactivated(story.userId));
    }

    @Test
    void a_reactivated_user_keeps_its_row_unchanged() {
        deliver(story.userRegistered());
        deliver(new UserDeactivated(story.userId));

        assertChangesNoRow(new UserReactivated(story.userId));
    }

    @Test
    void an_opened_login_changes_no_row() {
        deliver(story.userRegistered());

        assertChangesNoRow(new LoginOpened(story.userId, UUID.randomUUID(), "0f".repeat(32), "203.0.113.7",
                "curl/8.5", log.now().plusSeconds(3600)));
    }

    @Test
    void a_touched_login_changes_no_row() {
        deliver(story.userRegistered());
        UUID loginId = UUID.randomUUID();
        deliver(new LoginOpened(story.userId, loginId, "0f".repeat(32), null, null, log.now().plusSeconds(3600)));

        assertChangesNoRow(new LoginTouched(story.userId, loginId));
    }

    @Test
    void a_closed_login_changes_no_row() {
        deliver(story.userRegistered());
        UUID loginId = UUID.randomUUID();
        deliver(new LoginOpened(story.userId, loginId, "0f".repeat(32), null, null, log.now().plusSeconds(3600)));

        assertChangesNoRow(new LoginClosed(story.userId, loginId));
    }

    // --- chat sessions

    @Test
    void a_started_chat_session_is_an_active_session_that_never_expires_with_its_empty_conversation() {
        deliver(story.userRegistered());

        Published started = deliver(new ChatSessionStarted(story.sessionId, story.userId, story.conversationId,
                "groceries"));

        assertThat(tables.row("sessions", story.sessionId)).isEqualTo(columns(
                "id", story.sessionId,
                "status", "active",
                "container_id", null,
                "created_at", started.time(),
                "expires_at", NEVER,
                "last_activity_at", null,
                "user_id", story.userId));
        assertThat(jdbc.queryForObject("SELECT expires_at = 'infinity' FROM gateway.sessions WHERE id = ?",
                Boolean.class, story.sessionId)).as("expires_at is 'infinity'").isTrue();
        assertThat(tables.row("conversations", story.conversationId)).isEqualTo(columns(
                "id", story.conversationId,
                "session_id", story.sessionId,
                "messages_count", 0,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_titled_conversation_changes_no_row() {
        deliver(story.userRegistered());
        deliver(new ChatSessionStarted(story.sessionId, story.userId, story.conversationId, null));
        deliver(story.message(1, MessageRole.USER, "remind me to buy milk", 5));

        assertChangesNoRow(new ConversationTitled(story.sessionId, story.conversationId, "groceries"));
    }

    // --- what seed 000 has no column for: ports, labels, container deletion, files

    @Test
    void an_exposed_container_changes_no_row() {
        startSession();
        deliver(story.containerCreated());
        deliver(story.containerStarted());

        assertChangesNoRow(new ContainerExposed(story.sessionId, story.containerId, 32768, "http://127.0.0.1:32768"));
    }

    @Test
    void a_labeled_container_changes_no_row() {
        startSession();
        deliver(story.containerCreated());

        assertChangesNoRow(new ContainerLabeled(story.sessionId, story.containerId, Map.of("app", "todo"),
                Map.of("owner", "ada", "replicas", 1)));
    }

    @Test
    void a_deleted_container_keeps_its_last_status() {
        startSession();
        deliver(story.containerCreated());
        deliver(story.containerStarted());
        deliver(story.containerStopped());

        assertChangesNoRow(new ContainerDeleted(story.sessionId, story.containerId));
        assertThat(tables.row("containers", story.containerId)).containsEntry("status", "stopped");
    }

    @Test
    void a_stored_file_changes_no_row() {
        startSession();

        assertChangesNoRow(new FileStored(story.sessionId, UUID.randomUUID(), "/workspace/app.py", "app.py", 120,
                "text/x-python"));
    }

    @Test
    void a_deleted_file_changes_no_row() {
        startSession();
        UUID fileId = UUID.randomUUID();
        deliver(new FileStored(story.sessionId, fileId, "/workspace/app.py", "app.py", 120, null));

        assertChangesNoRow(new FileDeleted(story.sessionId, fileId));
    }

    // --- helpers ---

    /** The user registered and their session started; answers the session's expiry. */
    private Instant startSession() {
        deliver(story.userRegistered());
        return ((SessionStarted) deliver(story.sessionStarted(log.now().plusSeconds(1))).event()).expiresAt();
    }

    /** Publishes the event and applies it as a poll of one record; it must be applied, not parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(lastSequenceOf(published.key())).as("applied: %s", published.type()).isEqualTo(published.sequence());
        assertThat(parkedOf(published.key())).as("nothing parked of %s", published.key()).isZero();
        return published;
    }

    /** Delivers an event seed 000 has no column for: the user's rows stay as they were, then after a redelivery. */
    private void assertChangesNoRow(TranscriptEvent event) {
        Map<String, List<Map<String, Object>>> before = tables.dumpOf(story.userId);

        Published published = deliver(event);

        assertThat(tables.dumpOf(story.userId)).as("rows after %s", published.type()).isEqualTo(before);
        assertRedeliveryChangesNothing(published);
    }

    /**
     * Delivers the event a second time, as a redelivered record through the bookkeeping, then has the projector
     * apply it once more on its own (every statement idempotent by itself): the user's rows must be identical.
     */
    private void assertRedeliveryChangesNothing(Published event) {
        Map<String, List<Map<String, Object>>> once = tables.dumpOf(story.userId);
        Map<String, Integer> counts = tables.countsOf(story.userId);

        batches.apply(projector, List.of(event.consumerRecord()));

        assertThat(tables.countsOf(story.userId)).as("row counts after a redelivery").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after a redelivery").isEqualTo(once);
        assertThat(lastSequenceOf(event.key())).isEqualTo(event.sequence());

        Outcome outcome = transactions.execute(status -> projector.apply(decoder.decode(event.consumerRecord())));

        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(tables.countsOf(story.userId)).as("row counts after the projector applied it twice").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after the projector applied it twice").isEqualTo(once);
    }

    private Long lastSequenceOf(String aggregateId) {
        return jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'gateway' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }

    private int parkedOf(String aggregateId) {
        return jdbc.queryForObject("""
                SELECT count(*) FROM projection.parked_event WHERE read_model = 'gateway' AND aggregate_id = ?""",
                Integer.class, aggregateId);
    }

    /** A row as column → value pairs; unlike Map.of, takes nulls. */
    static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** The row with these columns changed, every other column as it was. */
    static Map<String, Object> with(Map<String, Object> row, Object... namesAndValues) {
        assertThat(row).as("the row before the event").isNotEmpty();
        Map<String, Object> changed = new LinkedHashMap<>(row);
        changed.putAll(columns(namesAndValues));
        return changed;
    }

    /** The event types the tests above project, one test each. */
    private static final List<Class<? extends TranscriptEvent>> TESTED = List.of(
            UserRegistered.class, UserRoleChanged.class, SessionStarted.class, SessionActivated.class,
            SessionExtended.class, SessionStopped.class, SessionExpired.class, SessionFailed.class,
            ContainerCreated.class, ContainerStarted.class, ContainerStopped.class, ContainerFailed.class,
            MessagePosted.class, CheckpointCreated.class, TokenUsageRecorded.class,
            UserProfileChanged.class, UserDeactivated.class, UserReactivated.class, LoginOpened.class,
            LoginTouched.class, LoginClosed.class, ChatSessionStarted.class, ConversationTitled.class,
            ContainerExposed.class, ContainerLabeled.class, ContainerDeleted.class, FileStored.class,
            FileDeleted.class);
}
