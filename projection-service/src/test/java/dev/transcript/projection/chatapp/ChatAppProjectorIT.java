package dev.transcript.projection.chatapp;

import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.user.LoginClosed;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.LoginTouched;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.support.ChatAppProjection;
import dev.transcript.projection.support.ChatAppProjection.Engine;
import dev.transcript.projection.support.ChatAppTables;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.transcript.projection.support.ChatAppTables.columns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat_app projector on each engine, one event type at a time: on PostgreSQL (schema {@code chat_app} of the
 * main database) and on MariaDB (its own database, by configuration alone), each test once per engine. The event's
 * predecessors are applied, then the event, through {@code RecordBatches} as the listener applies a poll; the rows
 * it leaves are asserted column by column, with the same expectations on both engines. Each event is then delivered
 * again, once through the bookkeeping (a redelivered record) and once straight to the projector (its SQL on its
 * own, as after a crash between chat_app's commit and PostgreSQL's), and the user's rows must stay as they were.
 * MariaDB's runs are skipped where no MariaDB answers.
 */
class ChatAppProjectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration LANDS = Duration.ofSeconds(30);

    /** One projection-service per engine, started by the first test that needs it, shared by the others. */
    private static final Map<Engine, ChatAppProjection> PROJECTIONS = new EnumMap<>(Engine.class);

    ChatAppProjection projection;
    ChatAppTables tables;
    EventLog log;
    ChatAppStory story;

    @AfterAll
    static void stopProjections() {
        PROJECTIONS.values().forEach(ChatAppProjection::close);
        PROJECTIONS.clear();
    }

    /** The engine's projection, and a new user of the chat app with a fresh event log. */
    private void on(Engine engine) {
        projection = PROJECTIONS.computeIfAbsent(engine, ChatAppProjection::start);
        tables = projection.tables();
        log = new EventLog(T0);
        story = new ChatAppStory();
    }

    /** The event types the tests below project, each tested on both engines. */
    private static final List<Class<? extends TranscriptEvent>> TESTED = List.of(
            UserRegistered.class, UserDeactivated.class, UserReactivated.class, LoginOpened.class,
            LoginTouched.class, LoginClosed.class, SessionStarted.class, ChatSessionStarted.class,
            ConversationTitled.class, MessagePosted.class, PipelineStarted.class, PipelineCompleted.class,
            PipelineFailed.class);

    /** The types seed 002 has no column for: {@link #events_that_mean_nothing_in_chat_app_change_no_row} covers them. */
    private static final Set<String> NOTHING_IN_CHAT_APP = Set.of(
            "UserRoleChanged", "UserProfileChanged",
            "SessionActivated", "SessionExtended", "SessionStopped", "SessionExpired", "SessionFailed",
            "ContainerCreated", "ContainerStarted", "ContainerExposed", "ContainerLabeled", "ContainerStopped",
            "ContainerFailed", "ContainerDeleted", "FileStored", "FileDeleted", "CheckpointCreated",
            "TokenUsageRecorded",
            "ProjectCreated", "ProjectUpdated", "ProjectArchived", "ProjectDeleted",
            "TaskCreated", "TaskRenamed", "TaskDescribed", "TaskCompleted", "TaskReopened", "TaskDeleted");

    @Test
    void every_current_event_type_has_its_test_here_or_is_declared_nothing_in_chat_app() {
        List<String> current = EventCatalog.current().stream().map(EventType::name).toList();
        assertThat(current).as("declared nothing in chat_app: current types only").containsAll(NOTHING_IN_CHAT_APP);
        assertThat(TESTED).as("event types with a test below; a new type needs one or a place in NOTHING_IN_CHAT_APP")
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .filter(type -> !NOTHING_IN_CHAT_APP.contains(type.name()))
                        .map(EventType::recordClass).toList());
    }

    // --- users

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_registered_user_is_an_active_users_row_with_the_event_time_and_no_login_yet(Engine engine) {
        on(engine);

        Published registered = deliver(story.userRegistered());

        assertThat(tables.row("users", story.userId)).isEqualTo(columns(
                "id", story.userId.toString(),
                "email", story.email,
                "password_hash", SessionStory.PASSWORD_HASH,
                "is_active", true,
                "created_at", registered.time(),
                "updated_at", registered.time(),
                "last_login_at", null));
        assertRedeliveryChangesNothing(registered);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_deactivated_user_is_inactive_and_a_reactivated_one_active_again_since_the_event_time(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        Map<String, Object> before = tables.row("users", story.userId);

        Published deactivated = deliver(story.deactivated());

        assertThat(tables.row("users", story.userId))
                .isEqualTo(with(before, "is_active", false, "updated_at", deactivated.time()));
        assertRedeliveryChangesNothing(deactivated);

        Published reactivated = deliver(story.reactivated());

        assertThat(tables.row("users", story.userId))
                .isEqualTo(with(before, "is_active", true, "updated_at", reactivated.time()));
        assertRedeliveryChangesNothing(reactivated);
    }

    // --- logins

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void an_opened_login_is_an_active_sessions_row_with_the_token_hash_and_the_users_last_login(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        Map<String, Object> user = tables.row("users", story.userId);
        Instant expiresAt = log.now().plusSeconds(86_400).plusNanos(123_456_789); // cut to microseconds

        Published opened = deliver(story.loginOpened(expiresAt));

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(columns(
                "id", story.loginId.toString(),
                "user_id", story.userId.toString(),
                "token_hash", story.tokenSha256,
                "ip_address", ChatAppStory.IP,
                "user_agent", ChatAppStory.AGENT,
                "is_active", true,
                "created_at", opened.time(),
                "expires_at", expiresAt.truncatedTo(ChronoUnit.MICROS),
                "last_activity_at", opened.time()));
        assertThat(tables.row("users", story.userId)).isEqualTo(with(user, "last_login_at", opened.time()));
        assertRedeliveryChangesNothing(opened);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_touched_login_has_the_event_time_as_last_activity(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        deliver(story.loginOpened(log.now().plusSeconds(86_400)));
        Map<String, Object> before = tables.row("sessions", story.loginId);
        Map<String, Object> user = tables.row("users", story.userId);

        Published touched = deliver(story.loginTouched());

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(with(before, "last_activity_at", touched.time()));
        assertThat(tables.row("users", story.userId)).as("a touch is no login").isEqualTo(user);
        assertRedeliveryChangesNothing(touched);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_closed_login_is_inactive_and_keeps_its_times(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        deliver(story.loginOpened(log.now().plusSeconds(86_400)));
        deliver(story.loginTouched());
        Map<String, Object> before = tables.row("sessions", story.loginId);

        Published closed = deliver(story.loginClosed());

        assertThat(tables.row("sessions", story.loginId)).isEqualTo(with(before, "is_active", false));
        assertRedeliveryChangesNothing(closed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_login_whose_token_hash_is_taken_is_parked_leaving_nothing_and_the_rest_of_its_poll_is_applied(Engine engine) {
        on(engine);
        Instant expiresAt = log.now().plusSeconds(86_400);
        deliver(story.userRegistered());
        deliver(story.loginOpened(expiresAt));
        ChatAppStory other = new ChatAppStory();
        Published registered = log.append(other.userRegistered());
        Published taken = log.append(new LoginOpened(other.userId, other.loginId, story.tokenSha256, null, null,
                expiresAt));
        Published started = log.append(other.chatSessionStarted("mine"));
        Published message = log.append(other.chatMessage(1, MessageRole.USER, "hello"));

        projection.deliverWithARefusedEvent(EventLog.records(List.of(registered, taken, started, message)));

        assertThat(projection.parkedOf(other.userId.toString())).containsExactly(
                columns("sequence", taken.sequence(), "waiting_for", null));
        assertThat(projection.parkedReasonsOf(other.userId.toString())).singleElement().asString()
                .startsWith("failed: ").containsIgnoringCase("uq_sessions_token_hash");
        assertThat(tables.row("sessions", other.loginId)).isEmpty();
        assertThat(tables.row("users", other.userId)).as("registered; its refused login left no last login")
                .containsEntry("created_at", registered.time())
                .containsEntry("last_login_at", null);
        assertThat(projection.lastSequenceOf(other.chatSessionId.toString())).isEqualTo(message.sequence());
        assertThat(tables.row("chat_sessions", other.chatSessionId)).containsEntry("updated_at", message.time());
        assertThat(tables.row("chat_messages", other.chatMessageId(1))).containsEntry("content", "hello");
    }

    // --- chat sessions

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_started_sandbox_session_is_an_untitled_chat_session_of_its_user_under_the_session_id(Engine engine) {
        on(engine);
        deliver(story.userRegistered());

        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));

        assertThat(tables.row("chat_sessions", story.sandbox.sessionId)).isEqualTo(columns(
                "id", story.sandbox.sessionId.toString(),
                "user_id", story.userId.toString(),
                "title", null,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertThat(tables.row("chat_sessions", story.sandbox.conversationId)).as("not under the conversation id").isEmpty();
        assertRedeliveryChangesNothing(started);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_started_chat_session_is_a_chat_session_with_its_title_or_none(Engine engine) {
        on(engine);
        deliver(story.userRegistered());

        Published titled = deliver(story.chatSessionStarted("Groceries"));

        assertThat(tables.row("chat_sessions", story.chatSessionId)).isEqualTo(columns(
                "id", story.chatSessionId.toString(),
                "user_id", story.userId.toString(),
                "title", "Groceries",
                "created_at", titled.time(),
                "updated_at", titled.time()));
        assertRedeliveryChangesNothing(titled);

        ChatAppStory untitled = new ChatAppStory();
        deliver(untitled.userRegistered());
        Published started = deliver(untitled.chatSessionStarted(null));

        assertThat(tables.row("chat_sessions", untitled.chatSessionId))
                .containsEntry("user_id", untitled.userId.toString())
                .containsEntry("title", null)
                .containsEntry("created_at", started.time());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_titled_conversation_retitles_its_chat_session_and_leaves_the_last_message_time(Engine engine) {
        on(engine);
        startChat("Groceries");
        Map<String, Object> before = tables.row("chat_sessions", story.chatSessionId);

        Published titled = deliver(story.chatTitled("Weekly groceries"));

        assertThat(tables.row("chat_sessions", story.chatSessionId)).isEqualTo(with(before, "title", "Weekly groceries"));
        assertRedeliveryChangesNothing(titled);
    }

    // --- messages

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_posted_message_is_a_chat_messages_row_of_its_session_and_its_time_the_sessions_updated_at(Engine engine) {
        on(engine);
        startChat(null);
        Map<String, Object> session = tables.row("chat_sessions", story.chatSessionId);

        Published asked = deliver(story.chatMessage(1, MessageRole.USER, "remind me to buy milk",
                Map.of("client", "web"), null));

        assertThat(tables.row("chat_messages", story.chatMessageId(1))).isEqualTo(columns(
                "id", story.chatMessageId(1).toString(),
                "session_id", story.chatSessionId.toString(),
                "role", "user",
                "content", "remind me to buy milk",
                "model", null,
                "tokens_used", 21L,
                "metadata", "{\"client\":\"web\"}",
                "created_at", asked.time()));
        assertThat(tables.row("chat_sessions", story.chatSessionId)).isEqualTo(with(session, "updated_at", asked.time()));
        assertRedeliveryChangesNothing(asked);

        Published answered = deliver(story.chatMessage(2, MessageRole.ASSISTANT, "noted: buy milk",
                ChatAppStory.unorderedMetadata(), "gpt-x"));

        assertThat(tables.row("chat_messages", story.chatMessageId(2)))
                .containsEntry("role", "assistant")
                .containsEntry("model", "gpt-x")
                .containsEntry("tokens_used", 15L)
                .containsEntry("metadata", ChatAppStory.UNORDERED_METADATA_JSON)
                .containsEntry("created_at", answered.time());
        assertThat(tables.row("chat_sessions", story.chatSessionId)).isEqualTo(with(session, "updated_at", answered.time()));
        assertRedeliveryChangesNothing(answered);

        Published system = deliver(story.chatMessage(3, MessageRole.SYSTEM, "you are a shopping assistant"));

        assertThat(tables.row("chat_messages", story.chatMessageId(3)))
                .containsEntry("role", "system")
                .containsEntry("metadata", "{}")
                .containsEntry("created_at", system.time());
        assertRedeliveryChangesNothing(system);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_v1_message_is_read_upcast_with_empty_metadata_and_no_model(Engine engine) {
        on(engine);
        startChat(null);

        Published v1 = deliver(story.chatMessageV1(1, MessageRole.ASSISTANT, "hello from before v2"));

        assertThat(v1.type()).isEqualTo("transcript.session.MessagePosted.v1");
        assertThat(tables.row("chat_messages", story.chatMessageId(1))).isEqualTo(columns(
                "id", story.chatMessageId(1).toString(),
                "session_id", story.chatSessionId.toString(),
                "role", "assistant",
                "content", "hello from before v2",
                "model", null,
                "tokens_used", 20L,
                "metadata", "{}",
                "created_at", v1.time()));
        assertRedeliveryChangesNothing(v1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void messages_of_one_poll_are_written_together_and_the_poll_delivered_again_changes_nothing(Engine engine) {
        on(engine);
        startChat(null);
        deliver(story.sessionStarted(log.now().plusSeconds(1)));
        List<Published> poll = List.of(
                log.append(story.chatMessage(1, MessageRole.SYSTEM, "you are a shopping assistant")),
                log.append(story.chatMessage(2, MessageRole.USER, "what is left?")),
                log.append(story.sandbox.message(1, MessageRole.USER, "build me a chat app", 7)),
                log.append(story.chatMessage(3, MessageRole.ASSISTANT, "nothing")),
                log.append(story.sandbox.message(2, MessageRole.ASSISTANT, "sure", 2)));

        projection.deliver(EventLog.records(poll));

        assertThat(projection.lastSequenceOf(story.chatSessionId.toString())).isEqualTo(poll.get(3).sequence());
        assertThat(projection.lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(poll.get(4).sequence());
        assertThat(tables.rows("SELECT id, role FROM " + projection.chatApp().table("chat_messages")
                + " WHERE session_id = ? ORDER BY created_at", story.chatSessionId.toString())).containsExactly(
                columns("id", story.chatMessageId(1).toString(), "role", "system"),
                columns("id", story.chatMessageId(2).toString(), "role", "user"),
                columns("id", story.chatMessageId(3).toString(), "role", "assistant"));
        assertThat(tables.rows("SELECT id, role FROM " + projection.chatApp().table("chat_messages")
                + " WHERE session_id = ? ORDER BY created_at", story.sandbox.sessionId.toString())).containsExactly(
                columns("id", story.sandbox.messageId(1).toString(), "role", "user"),
                columns("id", story.sandbox.messageId(2).toString(), "role", "assistant"));
        assertThat(tables.row("chat_sessions", story.chatSessionId)).containsEntry("updated_at", poll.get(3).time());
        assertThat(tables.row("chat_sessions", story.sandbox.sessionId)).containsEntry("updated_at", poll.get(4).time());

        Map<String, ?> once = tables.dumpOf(story.userId);
        projection.deliver(EventLog.records(poll));
        assertThat(tables.dumpOf(story.userId)).as("rows after the poll was delivered again").isEqualTo(once);
        for (Published message : poll) {
            assertThat(projection.applyDirectly(message)).isEqualTo(Outcome.APPLIED);
        }
        assertThat(tables.dumpOf(story.userId)).as("rows after the projector applied the poll again").isEqualTo(once);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void content_longer_than_text_holds_is_cut_at_a_character_and_json_too_long_to_keep_is_null(Engine engine) {
        on(engine);
        startChat(null);
        // 2 + 3 × 21,845 = 65,537 bytes of UTF-8: the last '€' (3 bytes) does not fit in 65,535.
        String content = "ab" + "€".repeat(21_845);
        Map<String, Object> metadata = Map.of("transcript", "x".repeat(70_000));

        Published posted = deliver(story.chatMessage(1, MessageRole.USER, content, metadata, null));

        Map<String, Object> row = tables.row("chat_messages", story.chatMessageId(1));
        String stored = (String) row.get("content");
        assertThat(stored).isEqualTo("ab" + "€".repeat(21_844));
        assertThat(stored.getBytes(StandardCharsets.UTF_8)).hasSize(65_534);
        assertThat(row).containsEntry("metadata", null).containsEntry("tokens_used", (long) content.length())
                .containsEntry("created_at", posted.time());
        assertRedeliveryChangesNothing(posted);

        String nul = "before\0after";
        Published withNul = deliver(story.chatMessage(2, MessageRole.USER, nul));
        assertThat(tables.row("chat_messages", story.chatMessageId(2)))
                .as("U+0000, which PostgreSQL cannot store, as U+FFFD on both engines")
                .containsEntry("content", "before\uFFFDafter");
        assertRedeliveryChangesNothing(withNul);
    }

    // --- pipelines

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_started_pipeline_is_running_with_its_input_as_json_with_sorted_keys(Engine engine) {
        on(engine);
        deliver(story.userRegistered());

        Published started = deliver(story.pipelineStarted(ChatAppStory.unorderedMetadata()));

        assertThat(tables.row("pipeline_executions", story.pipelineId)).isEqualTo(columns(
                "id", story.pipelineId.toString(),
                "user_id", story.userId.toString(),
                "pipeline_name", "summarise",
                "input_data", ChatAppStory.UNORDERED_METADATA_JSON,
                "output_data", null,
                "status", "running",
                "error_message", null,
                "duration_ms", null,
                "created_at", started.time(),
                "completed_at", null));
        assertRedeliveryChangesNothing(started);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_completed_pipeline_has_its_output_duration_and_completion_time(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        deliver(story.pipelineStarted(Map.of("text", "hello")));
        Map<String, Object> before = tables.row("pipeline_executions", story.pipelineId);

        Published completed = deliver(story.pipelineCompleted(Map.of("summary", "hi", "words", 1), 1_200));

        assertThat(tables.row("pipeline_executions", story.pipelineId)).isEqualTo(with(before,
                "status", "completed",
                "output_data", "{\"summary\":\"hi\",\"words\":1}",
                "duration_ms", 1_200L,
                "completed_at", completed.time()));
        assertRedeliveryChangesNothing(completed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_failed_pipeline_has_its_error_duration_and_completion_time(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        deliver(story.failingPipelineStarted());
        Map<String, Object> before = tables.row("pipeline_executions", story.failingPipelineId);

        Published failed = deliver(story.failingPipelineFailed("timed out after 30 s", 30_000));

        assertThat(tables.row("pipeline_executions", story.failingPipelineId)).isEqualTo(with(before,
                "status", "failed",
                "error_message", "timed out after 30 s",
                "duration_ms", 30_000L,
                "completed_at", failed.time()));
        assertThat(before).containsEntry("input_data", "{\"url\":\"https://example.com/a.mp3\"}");
        assertRedeliveryChangesNothing(failed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_duration_longer_than_integer_holds_is_null_and_the_run_still_completes(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        deliver(story.pipelineStarted(Map.of()));

        Published completed = deliver(story.pipelineCompleted(Map.of(), Integer.MAX_VALUE + 1L));

        assertThat(tables.row("pipeline_executions", story.pipelineId))
                .containsEntry("status", "completed")
                .containsEntry("input_data", "{}")
                .containsEntry("output_data", "{}")
                .containsEntry("duration_ms", null)
                .containsEntry("completed_at", completed.time());
        assertRedeliveryChangesNothing(completed);
    }

    // --- nothing in chat_app

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void events_that_mean_nothing_in_chat_app_change_no_row(Engine engine) {
        on(engine);
        deliver(story.userRegistered());
        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));
        List<TranscriptEvent> events = story.eventsWithNothingInChatApp(started.time());
        assertThat(events.stream().map(event -> event.getClass().getSimpleName()).distinct())
                .as("one of each type declared nothing in chat_app")
                .containsExactlyInAnyOrderElementsOf(NOTHING_IN_CHAT_APP);
        Map<String, ?> before = tables.dumpOf(story.userId);

        for (TranscriptEvent event : events) {
            Published published = deliver(event);
            assertThat(tables.dumpOf(story.userId)).as("rows after %s", published.type()).isEqualTo(before);
            assertRedeliveryChangesNothing(published);
        }
    }

    // --- a parent in another partition

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_chat_session_started_before_its_user_waits_parked_with_its_messages_and_lands_with_its_user(Engine engine) {
        on(engine);
        Published started = log.append(story.chatSessionStarted("Groceries"));
        Published message = log.append(story.chatMessage(1, MessageRole.USER, "hello"));
        Published sandbox = log.append(story.sessionStarted(log.now().plusSeconds(1)));
        projection.deliver(EventLog.records(List.of(started, message, sandbox)));

        assertThat(projection.parkedOf(story.chatSessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()),
                columns("sequence", 1L, "waiting_for", null));
        assertThat(projection.parkedOf(story.sandbox.sessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()));
        assertThat(tables.dumpOf(story.userId).values()).allSatisfy(rows -> assertThat(rows).isEmpty());

        Published registered = deliver(story.userRegistered());

        await("the parked sessions land with their user").atMost(LANDS).untilAsserted(() -> {
            assertThat(projection.parkedOf(story.chatSessionId.toString())).isEmpty();
            assertThat(projection.parkedOf(story.sandbox.sessionId.toString())).isEmpty();
            assertThat(projection.lastSequenceOf(story.chatSessionId.toString())).isEqualTo(message.sequence());
            assertThat(projection.lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(sandbox.sequence());
        });
        assertThat(tables.row("chat_sessions", story.chatSessionId)).isEqualTo(columns(
                "id", story.chatSessionId.toString(),
                "user_id", story.userId.toString(),
                "title", "Groceries",
                "created_at", started.time(),
                "updated_at", message.time()));
        assertThat(tables.row("chat_messages", story.chatMessageId(1)))
                .containsEntry("session_id", story.chatSessionId.toString())
                .containsEntry("content", "hello");
        assertThat(tables.row("chat_sessions", story.sandbox.sessionId))
                .containsEntry("user_id", story.userId.toString())
                .containsEntry("created_at", sandbox.time());
        assertThat(registered.time()).isAfter(sandbox.time());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Engine.class)
    void a_pipeline_started_before_its_user_waits_parked_and_lands_with_its_user(Engine engine) {
        on(engine);
        Published started = log.append(story.pipelineStarted(Map.of("text", "hello")));
        Published completed = log.append(story.pipelineCompleted(Map.of("summary", "hi"), 900));
        projection.deliver(EventLog.records(List.of(started, completed)));

        assertThat(projection.parkedOf(story.pipelineId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()),
                columns("sequence", 1L, "waiting_for", null));
        assertThat(tables.row("pipeline_executions", story.pipelineId)).as("no run before its user").isEmpty();

        deliver(story.userRegistered());

        await("the parked run lands with its user").atMost(LANDS).untilAsserted(() -> {
            assertThat(projection.parkedOf(story.pipelineId.toString())).isEmpty();
            assertThat(projection.lastSequenceOf(story.pipelineId.toString())).isEqualTo(completed.sequence());
        });
        assertThat(tables.row("pipeline_executions", story.pipelineId))
                .containsEntry("user_id", story.userId.toString())
                .containsEntry("status", "completed")
                .containsEntry("output_data", "{\"summary\":\"hi\"}")
                .containsEntry("duration_ms", 900L)
                .containsEntry("created_at", started.time())
                .containsEntry("completed_at", completed.time());
    }

    // --- helpers

    private void startChat(String title) {
        deliver(story.userRegistered());
        deliver(story.chatSessionStarted(title));
    }

    /** Publishes the event and applies it as a poll of one record; it must be applied, not parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        projection.deliver(List.of(published.consumerRecord()));
        assertThat(projection.lastSequenceOf(published.key())).as("applied: %s", published.type())
                .isEqualTo(published.sequence());
        assertThat(projection.parkedOf(published.key())).as("nothing parked of %s", published.key()).isEmpty();
        return published;
    }

    /**
     * Delivers the event a second time, as a redelivered record through the bookkeeping, then has the projector
     * apply it once more on its own (every statement idempotent by itself): the user's rows must be identical.
     */
    private void assertRedeliveryChangesNothing(Published event) {
        Map<String, ?> once = tables.dumpOf(story.userId);
        Map<String, Integer> counts = tables.countsOf(story.userId);

        projection.deliver(List.of(event.consumerRecord()));

        assertThat(tables.countsOf(story.userId)).as("row counts after a redelivery").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after a redelivery").isEqualTo(once);
        assertThat(projection.lastSequenceOf(event.key())).isEqualTo(event.sequence());

        assertThat(projection.applyDirectly(event)).isEqualTo(Outcome.APPLIED);

        assertThat(tables.countsOf(story.userId)).as("row counts after the projector applied it twice").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after the projector applied it twice").isEqualTo(once);
    }

    /** The row with these columns changed, every other column as it was. */
    private static Map<String, Object> with(Map<String, Object> row, Object... namesAndValues) {
        assertThat(row).as("the row before the event").isNotEmpty();
        Map<String, Object> changed = new LinkedHashMap<>(row);
        changed.putAll(columns(namesAndValues));
        return changed;
    }
}
