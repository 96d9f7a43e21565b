package dev.transcript.projection.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionExpired;
import dev.transcript.events.session.SessionFailed;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.SessionStopped;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.session.TokenUsageRecordedV1;
import dev.transcript.events.user.UserDeactivated;
import dev.transcript.events.user.UserReactivated;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.ProjectorOnPostgres;
import dev.transcript.projection.support.Published;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The chat projector on real PostgreSQL, one event type at a time: the event's predecessors are applied, then
 * the event, through {@link RecordBatches} as the listener applies a poll; the rows it leaves are asserted
 * column by column. Each event is then delivered again, once through the bookkeeping (a redelivered record) and
 * once straight to the projector (its SQL on its own), and the user's rows must stay exactly as they were.
 *
 * <p>A trigger of this test's own refuses any write to the chat tables and auth.users by another role than the
 * chat writer: every event applied here proves that the projector writes as that role (and that the role may
 * keep the bookkeeping, which it writes in the same transaction). The service's login user is a superuser,
 * whom row-level security would not stop.
 */
@ProjectorOnPostgres
@DirtiesContext // its own context, closed while its database exists rather than at the JVM's exit
class ChatProjectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration LANDS = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RecordBatches batches;
    @Autowired
    ChatProjector projector;
    @Autowired
    ChatRoles roles;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;

    EventLog log;
    ChatStory story;
    ChatTables tables;

    @BeforeEach
    void aNewUserAndOnlyTheWriterMayWrite() {
        log = new EventLog(T0);
        story = new ChatStory();
        tables = new ChatTables(jdbc);
        onlyTheWriterMayWrite();
    }

    /** The event types the tests below project. */
    private static final List<Class<? extends TranscriptEvent>> TESTED = List.of(
            UserRegistered.class, UserDeactivated.class, UserReactivated.class, SessionStarted.class,
            ChatSessionStarted.class, ConversationTitled.class, SessionStopped.class, SessionExpired.class,
            SessionFailed.class, MessagePosted.class, TokenUsageRecorded.class);

    /** The types seed 004 has no column for: {@link #events_that_mean_nothing_in_chat_change_no_row} covers them. */
    private static final Set<String> NOTHING_IN_CHAT = Set.of(
            "UserRoleChanged", "UserProfileChanged", "LoginOpened", "LoginTouched", "LoginClosed",
            "SessionActivated", "SessionExtended",
            "ContainerCreated", "ContainerStarted", "ContainerExposed", "ContainerLabeled", "ContainerStopped",
            "ContainerFailed", "ContainerDeleted", "FileStored", "FileDeleted", "CheckpointCreated",
            "ProjectCreated", "ProjectUpdated", "ProjectArchived", "ProjectDeleted",
            "TaskCreated", "TaskRenamed", "TaskDescribed", "TaskCompleted", "TaskReopened", "TaskDeleted",
            "PipelineStarted", "PipelineCompleted", "PipelineFailed");

    @Test
    void every_current_event_type_has_its_test_here_or_is_declared_nothing_in_chat() {
        List<String> current = EventCatalog.current().stream().map(EventType::name).toList();
        assertThat(current).as("declared nothing in chat: current types only").containsAll(NOTHING_IN_CHAT);
        assertThat(TESTED).as("event types with a test below; a new type needs one or a place in NOTHING_IN_CHAT")
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .filter(type -> !NOTHING_IN_CHAT.contains(type.name()))
                        .map(EventType::recordClass).toList());
    }

    // --- roles

    @Test
    void the_roles_by_default_are_those_the_migrations_default_to() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("flyway/chat.properties")) {
            assertThat(in).as("migrations' flyway/chat.properties on the classpath").isNotNull();
            defaults.load(in);
        }

        assertThat(roles.reader()).isEqualTo(defaults.getProperty("flyway.placeholders.chatReader"));
        assertThat(roles.writer()).isEqualTo(defaults.getProperty("flyway.placeholders.chatWriter"));
        assertThat(projector.role()).contains(roles.writer());
    }

    @Test
    void the_service_logs_in_as_a_superuser_so_only_the_set_role_makes_the_projector_the_writer() {
        assertThat(jdbc.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", Boolean.class))
                .as("the login user is a superuser: row-level security alone would not tell").isTrue();
        String loginUser = jdbc.queryForObject("SELECT current_user", String.class);
        deliver(story.userRegistered());
        Published started = log.append(story.chatSessionStarted("not as the writer"));

        // The projector's SQL on its own, in a transaction that did not switch to the writer: the guard refuses.
        assertThatThrownBy(() -> transactions.executeWithoutResult(status ->
                projector.apply(decoder.decode(started.consumerRecord()))))
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("written as " + loginUser + ", not as " + roles.writer());
        assertThat(tables.row("chat.conversations", story.chatConversationId)).isEmpty();
    }

    // --- users

    @Test
    void a_registered_user_becomes_an_active_auth_users_row_with_the_event_time_as_created_and_updated_at() {
        Published registered = deliver(story.userRegistered());

        assertThat(tables.row("auth.users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "is_active", true,
                "created_at", registered.time(),
                "updated_at", registered.time()));
        assertRedeliveryChangesNothing(registered);
    }

    @Test
    void a_deactivated_user_is_inactive_and_a_reactivated_one_active_again_each_since_its_event() {
        Published registered = deliver(story.userRegistered());

        Published deactivated = deliver(story.deactivated());

        assertThat(tables.row("auth.users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "is_active", false,
                "created_at", registered.time(),
                "updated_at", deactivated.time()));
        assertRedeliveryChangesNothing(deactivated);

        Published reactivated = deliver(story.reactivated());

        assertThat(tables.row("auth.users", story.userId))
                .containsEntry("is_active", true)
                .containsEntry("updated_at", reactivated.time());
        assertRedeliveryChangesNothing(reactivated);
    }

    // --- conversations

    @Test
    void a_started_sandbox_session_becomes_an_active_untitled_conversation_of_kind_sandbox() {
        deliver(story.userRegistered());

        Published started = deliver(story.sandbox.sessionStarted(log.now().plusSeconds(1)));

        assertThat(tables.row("chat.conversations", story.sandbox.conversationId)).isEqualTo(columns(
                "id", story.sandbox.conversationId,
                "user_id", story.userId,
                "title", null,
                "status", "active",
                "context", ChatTables.json("{\"kind\": \"sandbox\", \"sessionId\": \"" + story.sandbox.sessionId + "\"}"),
                "metadata", ChatTables.json("{}"),
                "message_count", 0,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertThat(tables.rows("SELECT session_id, user_id, conversation_id FROM projection.session_owner"
                + " WHERE session_id = ?", story.sandbox.sessionId)).containsExactly(columns(
                "session_id", story.sandbox.sessionId,
                "user_id", story.userId,
                "conversation_id", story.sandbox.conversationId));
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_started_chat_session_becomes_an_active_conversation_of_kind_chat_with_its_title_or_none() {
        deliver(story.userRegistered());

        Published started = deliver(story.chatSessionStarted("groceries"));

        assertThat(tables.row("chat.conversations", story.chatConversationId)).isEqualTo(columns(
                "id", story.chatConversationId,
                "user_id", story.userId,
                "title", "groceries",
                "status", "active",
                "context", ChatTables.json("{\"kind\": \"chat\", \"sessionId\": \"" + story.chatSessionId + "\"}"),
                "metadata", ChatTables.json("{}"),
                "message_count", 0,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertRedeliveryChangesNothing(started);

        ChatStory untitled = new ChatStory();
        deliver(untitled.userRegistered());
        deliver(untitled.chatSessionStarted(null));

        assertThat(tables.row("chat.conversations", untitled.chatConversationId))
                .containsEntry("user_id", untitled.userId)
                .containsEntry("title", null);
    }

    @Test
    void a_titled_conversation_has_the_new_title_and_the_event_time_as_updated_at() {
        startChat("groceries");
        Map<String, Object> before = tables.row("chat.conversations", story.chatConversationId);

        Published titled = deliver(story.chatTitled("weekly groceries"));

        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .isEqualTo(with(before, "title", "weekly groceries", "updated_at", titled.time()));
        assertRedeliveryChangesNothing(titled);
    }

    @Test
    void a_change_at_the_time_the_conversation_last_changed_moves_it_a_microsecond_never_to_the_time_of_applying() {
        startChat("groceries");
        Instant startedAt = (Instant) tables.row("chat.conversations", story.chatConversationId).get("updated_at");

        log.advance(Duration.ofSeconds(-1));
        Published titled = deliver(story.chatTitled("weekly groceries"));

        assertThat(titled.time()).as("the same time as the start").isEqualTo(startedAt);
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .containsEntry("title", "weekly groceries")
                .containsEntry("updated_at", startedAt.plus(1, ChronoUnit.MICROS));
        assertRedeliveryChangesNothing(titled);
    }

    @Test
    void a_stopped_chat_session_closes_its_conversation_at_the_event_time() {
        startChat("groceries");
        Map<String, Object> before = tables.row("chat.conversations", story.chatConversationId);

        Published stopped = deliver(story.chatStopped());

        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .isEqualTo(with(before, "status", "closed", "updated_at", stopped.time()));
        assertRedeliveryChangesNothing(stopped);
    }

    @Test
    void an_expired_sandbox_session_closes_its_conversation() {
        deliver(story.userRegistered());
        Published started = deliver(story.sandbox.sessionStarted(log.now().plusSeconds(1)));
        Map<String, Object> before = tables.row("chat.conversations", story.sandbox.conversationId);

        Published expired = deliver(story.sandbox.expired(started.time().plusSeconds(3600)));

        assertThat(tables.row("chat.conversations", story.sandbox.conversationId))
                .isEqualTo(with(before, "status", "closed", "updated_at", expired.time()));
        assertRedeliveryChangesNothing(expired);
    }

    @Test
    void a_failed_sandbox_session_closes_its_conversation_and_a_later_stop_changes_nothing() {
        deliver(story.userRegistered());
        deliver(story.sandbox.sessionStarted(log.now().plusSeconds(1)));
        Map<String, Object> before = tables.row("chat.conversations", story.sandbox.conversationId);

        Published failed = deliver(story.sandbox.failed("OOM killed"));

        Map<String, Object> closed = with(before, "status", "closed", "updated_at", failed.time());
        assertThat(tables.row("chat.conversations", story.sandbox.conversationId)).isEqualTo(closed);
        assertRedeliveryChangesNothing(failed);

        deliver(story.sandbox.stopped());

        assertThat(tables.row("chat.conversations", story.sandbox.conversationId)).isEqualTo(closed);
    }

    // --- messages

    @Test
    void a_posted_message_is_a_messages_row_of_the_conversations_owner_counted_in_its_conversation() {
        startChat(null);
        Map<String, Object> conversation = tables.row("chat.conversations", story.chatConversationId);

        Published asked = deliver(story.chatMessage(1, MessageRole.USER, "what is on my list?"));

        assertThat(tables.row("chat.messages", story.chatMessageId(1))).isEqualTo(columns(
                "id", story.chatMessageId(1),
                "conversation_id", story.chatConversationId,
                "user_id", story.userId,
                "role", "user",
                "content", "what is on my list?",
                "model", null,
                "tokens_used", "what is on my list?".length(),
                "metadata", ChatTables.json("{\"client\": \"web\", \"n\": 1}"),
                "created_at", asked.time()));
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .isEqualTo(with(conversation, "message_count", 1, "updated_at", asked.time()));
        assertRedeliveryChangesNothing(asked);

        Published answered = deliver(story.chatMessage(2, MessageRole.ASSISTANT, "milk"));

        assertThat(tables.row("chat.messages", story.chatMessageId(2)))
                .containsEntry("user_id", story.userId)
                .containsEntry("role", "assistant")
                .containsEntry("model", "gpt-x")
                .containsEntry("created_at", answered.time());
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .isEqualTo(with(conversation, "message_count", 2, "updated_at", answered.time()));
        assertRedeliveryChangesNothing(answered);

        Published system = deliver(story.chatMessage(3, MessageRole.SYSTEM, "be brief"));

        assertThat(tables.row("chat.messages", story.chatMessageId(3))).containsEntry("role", "system");
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .containsEntry("message_count", 3).containsEntry("updated_at", system.time());
        assertRedeliveryChangesNothing(system);
    }

    @Test
    void a_v1_message_is_read_upcast_and_projected_with_no_model_and_empty_metadata() {
        startChat(null);

        Published v1 = deliver(story.chatMessageV1(1, MessageRole.ASSISTANT, "hello from before v2"));

        assertThat(v1.type()).isEqualTo("transcript.session.MessagePosted.v1");
        assertThat(tables.row("chat.messages", story.chatMessageId(1)))
                .containsEntry("role", "assistant")
                .containsEntry("model", null)
                .containsEntry("metadata", ChatTables.json("{}"))
                .containsEntry("created_at", v1.time());
        assertRedeliveryChangesNothing(v1);
    }

    @Test
    void messages_of_one_poll_are_written_together_each_of_its_owner_and_counted_once() {
        startChat(null);
        deliver(story.sandbox.sessionStarted(log.now().plusSeconds(1)));
        List<Published> poll = List.of(
                log.append(story.chatMessage(1, MessageRole.SYSTEM, "be brief")),
                log.append(story.chatMessage(2, MessageRole.USER, "what is left?")),
                log.append(story.sandbox.message(1, MessageRole.USER, "build me a chat app", 7)),
                log.append(story.chatMessage(3, MessageRole.ASSISTANT, "nothing")),
                log.append(story.sandbox.message(2, MessageRole.ASSISTANT, "sure", 2)));

        batches.apply(projector, EventLog.records(poll));

        assertThat(lastSequenceOf(story.chatSessionId.toString())).isEqualTo(poll.get(3).sequence());
        assertThat(lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(poll.get(4).sequence());
        assertThat(tables.rows("SELECT id, role, user_id FROM chat.messages WHERE conversation_id = ?"
                + " ORDER BY created_at, id", story.chatConversationId)).containsExactly(
                columns("id", story.chatMessageId(1), "role", "system", "user_id", story.userId),
                columns("id", story.chatMessageId(2), "role", "user", "user_id", story.userId),
                columns("id", story.chatMessageId(3), "role", "assistant", "user_id", story.userId));
        assertThat(tables.rows("SELECT id, tokens_used FROM chat.messages WHERE conversation_id = ? ORDER BY created_at",
                story.sandbox.conversationId)).containsExactly(
                columns("id", story.sandbox.messageId(1), "tokens_used", 7),
                columns("id", story.sandbox.messageId(2), "tokens_used", 2));
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .containsEntry("message_count", 3).containsEntry("updated_at", poll.get(3).time());
        assertThat(tables.row("chat.conversations", story.sandbox.conversationId))
                .containsEntry("message_count", 2).containsEntry("updated_at", poll.get(4).time());

        Map<String, List<Map<String, Object>>> once = tables.dumpOf(story.userId);
        batches.apply(projector, EventLog.records(poll));
        assertThat(tables.dumpOf(story.userId)).as("rows after the poll was redelivered").isEqualTo(once);
    }

    // --- charges

    @Test
    void a_charge_is_a_usage_row_of_the_conversations_owner_with_the_events_cost_as_it_is() {
        startChat(null);
        deliver(story.chatMessage(1, MessageRole.ASSISTANT, "hello"));
        TokenUsageRecorded charge = story.charge(story.chatMessageId(1), "gpt-x", 1234, 567,
                new BigDecimal("2.50"), new BigDecimal("10.00"));

        Published recorded = deliver(charge);

        assertThat(charge.cost()).isEqualByComparingTo("0.008755");
        assertThat(tables.row("chat.usage_tracking", charge.usageId())).isEqualTo(columns(
                "id", charge.usageId(),
                "user_id", story.userId,
                "conversation_id", story.chatConversationId,
                "message_id", story.chatMessageId(1),
                "model", "gpt-x",
                "input_tokens", 1234,
                "output_tokens", 567,
                "total_tokens", 1801,
                "cost", new BigDecimal("0.0087550000"),
                "currency", "USD",
                "created_at", recorded.time()));
        assertRedeliveryChangesNothing(recorded);
    }

    @Test
    void a_charge_of_a_model_without_a_price_has_an_unknown_cost_never_zero() {
        startChat(null);
        TokenUsageRecorded charge = story.unpricedCharge("embedder", 50, 0);

        Published recorded = deliver(charge);

        assertThat(tables.row("chat.usage_tracking", charge.usageId()))
                .containsEntry("message_id", null)
                .containsEntry("model", "embedder")
                .containsEntry("total_tokens", 50)
                .containsEntry("cost", null)
                .containsEntry("currency", "USD");
        assertRedeliveryChangesNothing(recorded);
    }

    @Test
    void a_v1_charge_is_read_upcast_and_projected_with_an_unknown_cost_never_zero() throws IOException {
        startChat(null);
        deliver(story.chatMessage(1, MessageRole.ASSISTANT, "hello"));
        TokenUsageRecordedV1 charge = story.chargeV1(story.chatMessageId(1), "gpt-x", 1234, 567);

        Published v1 = deliver(charge);

        assertThat(v1.type()).isEqualTo("transcript.session.TokenUsageRecorded.v1");
        JsonNode data = JSON.readTree(v1.value()).path("data");
        assertThat(data.has("totalTokens")).as("v1 data: %s", data).isTrue();
        assertThat(data.has("cost") || data.has("inputPricePerMillion") || data.has("outputPricePerMillion")
                || data.has("currency")).as("v1 data has none of v2's fields: %s", data).isFalse();
        assertThat(tables.row("chat.usage_tracking", charge.usageId())).isEqualTo(columns(
                "id", charge.usageId(),
                "user_id", story.userId,
                "conversation_id", story.chatConversationId,
                "message_id", story.chatMessageId(1),
                "model", "gpt-x",
                "input_tokens", 1234,
                "output_tokens", 567,
                "total_tokens", 1801,
                "cost", null,
                "currency", "USD",
                "created_at", v1.time()));
        assertRedeliveryChangesNothing(v1);
    }

    // --- nothing in chat

    @Test
    void events_that_mean_nothing_in_chat_change_no_row() {
        deliver(story.userRegistered());
        Published started = deliver(story.sandbox.sessionStarted(log.now().plusSeconds(1)));
        List<TranscriptEvent> events = story.eventsWithNothingInChat(started.time());
        assertThat(events.stream().map(event -> event.getClass().getSimpleName()).distinct())
                .as("one of each type declared nothing in chat").containsExactlyInAnyOrderElementsOf(NOTHING_IN_CHAT);
        Map<String, List<Map<String, Object>>> before = tables.dumpOf(story.userId);

        for (TranscriptEvent event : events) {
            Published published = deliver(event);
            assertThat(tables.dumpOf(story.userId)).as("rows after %s", published.type()).isEqualTo(before);
            assertRedeliveryChangesNothing(published);
        }
    }

    // --- a parent in another partition

    @Test
    void a_session_started_before_its_user_waits_parked_with_its_messages_and_charges_and_lands_with_its_user() {
        TokenUsageRecorded charge = story.charge(story.chatMessageId(1), "gpt-x", 10, 20, BigDecimal.ONE, BigDecimal.TEN);
        Published started = log.append(story.chatSessionStarted("groceries"));
        Published message = log.append(story.chatMessage(1, MessageRole.ASSISTANT, "hello"));
        Published charged = log.append(charge);
        Published sandbox = log.append(story.sandbox.sessionStarted(log.now().plusSeconds(1)));
        batches.apply(projector, EventLog.records(List.of(started, message, charged, sandbox)));

        assertThat(parkedOf(story.chatSessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()),
                columns("sequence", 1L, "waiting_for", null),
                columns("sequence", 2L, "waiting_for", null));
        assertThat(parkedOf(story.sandbox.sessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()));
        assertThat(tables.dumpOf(story.userId).values()).allSatisfy(rows -> assertThat(rows).isEmpty());

        deliver(story.userRegistered());

        await("the parked sessions land with their user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(story.chatSessionId.toString())).isEmpty();
            assertThat(parkedOf(story.sandbox.sessionId.toString())).isEmpty();
            assertThat(lastSequenceOf(story.chatSessionId.toString())).isEqualTo(charged.sequence());
            assertThat(lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(sandbox.sequence());
        });
        assertThat(tables.row("chat.conversations", story.chatConversationId))
                .containsEntry("user_id", story.userId)
                .containsEntry("title", "groceries")
                .containsEntry("message_count", 1)
                .containsEntry("created_at", started.time())
                .containsEntry("updated_at", message.time());
        assertThat(tables.row("chat.messages", story.chatMessageId(1))).containsEntry("user_id", story.userId);
        assertThat(tables.row("chat.usage_tracking", charge.usageId()))
                .containsEntry("user_id", story.userId)
                .containsEntry("cost", new BigDecimal("0.0002100000"));
        assertThat(tables.row("chat.conversations", story.sandbox.conversationId))
                .containsEntry("created_at", sandbox.time());
    }

    // --- helpers

    private void startChat(String title) {
        deliver(story.userRegistered());
        deliver(story.chatSessionStarted(title));
    }

    /** Publishes the event and applies it as a poll of one record; it must be applied, not parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(parkedOf(published.key())).as("nothing parked of %s", published.key()).isEmpty();
        assertThat(lastSequenceOf(published.key())).as("applied: %s", published.type()).isEqualTo(published.sequence());
        return published;
    }

    /**
     * Delivers the event a second time, as a redelivered record through the bookkeeping, then has the projector
     * apply it once more on its own, as the writer (every statement idempotent by itself): the user's rows must
     * be identical.
     */
    private void assertRedeliveryChangesNothing(Published event) {
        Map<String, List<Map<String, Object>>> once = tables.dumpOf(story.userId);
        Map<String, Integer> counts = tables.countsOf(story.userId);

        batches.apply(projector, List.of(event.consumerRecord()));

        assertThat(tables.countsOf(story.userId)).as("row counts after a redelivery").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after a redelivery").isEqualTo(once);
        assertThat(lastSequenceOf(event.key())).isEqualTo(event.sequence());

        Outcome outcome = transactions.execute(status -> {
            jdbc.execute("SET LOCAL ROLE " + roles.writer());
            return projector.apply(decoder.decode(event.consumerRecord()));
        });

        assertThat(outcome).isEqualTo(Outcome.APPLIED);
        assertThat(tables.countsOf(story.userId)).as("row counts after the projector applied it twice").isEqualTo(counts);
        assertThat(tables.dumpOf(story.userId)).as("rows after the projector applied it twice").isEqualTo(once);
    }

    /**
     * A trigger on every table the chat projector writes that refuses a write by any role but the writer: the
     * login user is a superuser, so without it nothing would tell whether the projector switched roles.
     */
    private void onlyTheWriterMayWrite() {
        jdbc.execute("""
                CREATE OR REPLACE FUNCTION public.chat_test_only_the_writer() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF current_user <> '%1$s' THEN
                        RAISE EXCEPTION '%% written as %%, not as %1$s', TG_TABLE_NAME, current_user;
                    END IF;
                    RETURN COALESCE(NEW, OLD);
                END
                $$""".formatted(roles.writer()));
        for (String table : List.of("auth.users", "chat.conversations", "chat.messages", "chat.usage_tracking")) {
            jdbc.execute("CREATE OR REPLACE TRIGGER chat_test_only_the_writer BEFORE INSERT OR UPDATE OR DELETE ON "
                    + table + " FOR EACH ROW EXECUTE FUNCTION public.chat_test_only_the_writer()");
        }
    }

    private Long lastSequenceOf(String aggregateId) {
        return jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'chat' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }

    private List<Map<String, Object>> parkedOf(String aggregateId) {
        List<Map<String, Object>> parked = new ArrayList<>();
        jdbc.queryForList("""
                SELECT sequence, waiting_for FROM projection.parked_event WHERE read_model = 'chat' AND aggregate_id = ?
                ORDER BY sequence""", aggregateId).forEach(row -> parked.add(new LinkedHashMap<>(row)));
        return parked;
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
}
