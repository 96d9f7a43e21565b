package dev.transcript.projection.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;
import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.ConversationTitled;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.MessageRole;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.ProjectorOnPostgres;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import dev.transcript.projection.support.TodoTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The todo projector on real PostgreSQL, one event type at a time: the event's predecessors are applied, then
 * the event, through {@link RecordBatches} as the listener applies a poll; the rows it leaves are asserted
 * column by column. Each event is then delivered again, once through the bookkeeping (a redelivered record) and
 * once straight to the projector (its SQL on its own), and the user's rows must stay exactly as they were.
 */
@ProjectorOnPostgres
@DirtiesContext // its own context, closed while its database exists rather than at the JVM's exit
class TodoProjectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration LANDS = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    RecordBatches batches;
    @Autowired
    TodoProjector projector;
    @Autowired
    EnvelopeDecoder decoder;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcTemplate jdbc;

    EventLog log;
    TodoStory story;
    TodoTables tables;

    @BeforeEach
    void aNewUser() {
        log = new EventLog(T0);
        story = new TodoStory();
        tables = new TodoTables(jdbc);
    }

    /** The event types the tests below project, one test each. */
    private static final List<Class<? extends TranscriptEvent>> TESTED = List.of(
            UserRegistered.class, SessionStarted.class, ChatSessionStarted.class, ConversationTitled.class,
            MessagePosted.class, TaskCreated.class, TaskRenamed.class, TaskDescribed.class, TaskCompleted.class,
            TaskReopened.class, TaskDeleted.class);

    /** The types seed 003 has no column for: {@link #events_that_mean_nothing_in_todo_change_no_row} covers them. */
    private static final Set<String> NOTHING_IN_TODO = Set.of(
            "UserRoleChanged", "UserProfileChanged", "UserDeactivated", "UserReactivated", "LoginOpened",
            "LoginTouched", "LoginClosed",
            "SessionActivated", "SessionExtended", "SessionStopped", "SessionExpired", "SessionFailed",
            "ContainerCreated", "ContainerStarted", "ContainerExposed", "ContainerLabeled", "ContainerStopped",
            "ContainerFailed", "ContainerDeleted", "FileStored", "FileDeleted", "CheckpointCreated",
            "TokenUsageRecorded",
            "ProjectCreated", "ProjectUpdated", "ProjectArchived", "ProjectDeleted",
            "PipelineStarted", "PipelineCompleted", "PipelineFailed");

    @Test
    void every_current_event_type_has_its_test_here_or_is_declared_nothing_in_todo() {
        List<String> current = EventCatalog.current().stream().map(EventType::name).toList();
        assertThat(current).as("declared nothing in todo: current types only").containsAll(NOTHING_IN_TODO);
        assertThat(TESTED).as("event types with a test below; a new type needs one or a place in NOTHING_IN_TODO")
                .containsExactlyInAnyOrderElementsOf(EventCatalog.current().stream()
                        .filter(type -> !NOTHING_IN_TODO.contains(type.name()))
                        .map(EventType::recordClass).toList());
    }

    // --- users

    @Test
    void a_registered_user_becomes_a_users_row_with_its_hash_and_the_event_time_as_created_and_updated_at() {
        Published registered = deliver(story.userRegistered());

        assertThat(tables.row("users", story.userId)).isEqualTo(columns(
                "id", story.userId,
                "email", story.email,
                "password_hash", SessionStory.PASSWORD_HASH,
                "created_at", registered.time(),
                "updated_at", registered.time()));
        assertRedeliveryChangesNothing(registered);
    }

    // --- conversations

    @Test
    void a_started_sandbox_session_becomes_an_untitled_conversation_of_its_user() {
        deliver(story.userRegistered());

        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));

        assertThat(tables.row("conversations", story.sandbox.conversationId)).isEqualTo(columns(
                "id", story.sandbox.conversationId,
                "user_id", story.userId,
                "title", null,
                "created_at", started.time(),
                "updated_at", started.time()));
        assertRedeliveryChangesNothing(started);
    }

    @Test
    void a_started_chat_session_becomes_a_conversation_with_its_title_or_none() {
        deliver(story.userRegistered());

        Published titled = deliver(story.chatSessionStarted("groceries"));

        assertThat(tables.row("conversations", story.chatConversationId)).isEqualTo(columns(
                "id", story.chatConversationId,
                "user_id", story.userId,
                "title", "groceries",
                "created_at", titled.time(),
                "updated_at", titled.time()));
        assertRedeliveryChangesNothing(titled);

        TodoStory untitled = new TodoStory();
        deliver(untitled.userRegistered());
        Published started = deliver(untitled.chatSessionStarted(null));

        assertThat(tables.row("conversations", untitled.chatConversationId))
                .containsEntry("user_id", untitled.userId)
                .containsEntry("title", null)
                .containsEntry("created_at", started.time());
    }

    @Test
    void a_titled_conversation_has_the_new_title_and_the_event_time_as_updated_at() {
        startChat("groceries");
        Map<String, Object> before = tables.row("conversations", story.chatConversationId);

        Published titled = deliver(story.chatTitled("weekly groceries"));

        assertThat(tables.row("conversations", story.chatConversationId))
                .isEqualTo(with(before, "title", "weekly groceries", "updated_at", titled.time()));
        assertRedeliveryChangesNothing(titled);
    }

    @Test
    void a_sandbox_sessions_conversation_can_be_titled_too() {
        deliver(story.userRegistered());
        deliver(story.sessionStarted(log.now().plusSeconds(1)));

        Published titled = deliver(new ConversationTitled(story.sandbox.sessionId, story.sandbox.conversationId,
                "a todo app"));

        assertThat(tables.row("conversations", story.sandbox.conversationId))
                .containsEntry("title", "a todo app")
                .containsEntry("updated_at", titled.time());
        assertRedeliveryChangesNothing(titled);
    }

    // --- messages

    @Test
    void a_posted_message_is_a_messages_row_of_the_conversations_owner_and_moves_its_updated_at() throws IOException {
        startChat(null);
        Map<String, Object> conversation = tables.row("conversations", story.chatConversationId);

        Published asked = deliver(story.chatMessage(1, MessageRole.USER, "remind me to buy milk", null));

        assertThat(tables.row("messages", story.chatMessageId(1))).isEqualTo(columns(
                "id", story.chatMessageId(1),
                "conversation_id", story.chatConversationId,
                "user_id", story.userId,
                "role", "user",
                "content", "remind me to buy milk",
                "tool_calls", null,
                "created_at", asked.time()));
        assertThat(tables.row("conversations", story.chatConversationId))
                .isEqualTo(with(conversation, "updated_at", asked.time()));
        assertRedeliveryChangesNothing(asked);

        var toolCalls = TodoStory.toolCalls("add_task", Map.of("title", "buy milk", "priority", 2));
        Published answered = deliver(story.chatMessage(2, MessageRole.ASSISTANT, "added: buy milk", toolCalls));

        Map<String, Object> agent = tables.row("messages", story.chatMessageId(2));
        assertThat(agent).containsEntry("conversation_id", story.chatConversationId)
                .containsEntry("user_id", story.userId)
                .containsEntry("role", "agent")
                .containsEntry("content", "added: buy milk")
                .containsEntry("created_at", answered.time());
        assertThat(json(agent.get("tool_calls"))).isEqualTo(JSON.valueToTree(toolCalls));
        assertThat(tables.row("conversations", story.chatConversationId))
                .isEqualTo(with(conversation, "updated_at", answered.time()));
        assertRedeliveryChangesNothing(answered);
    }

    @Test
    void a_system_message_is_not_projected_yet_its_position_advances() {
        startChat(null);
        Map<String, List<Map<String, Object>>> before = tables.dumpOf(story.userId);

        Published system = deliver(story.chatMessage(1, MessageRole.SYSTEM, "you are a todo assistant", null));

        assertThat(tables.dumpOf(story.userId)).as("no row, no activity").isEqualTo(before);
        assertThat(tables.row("messages", story.chatMessageId(1))).isEmpty();
        assertRedeliveryChangesNothing(system);

        Published next = deliver(story.chatMessage(2, MessageRole.USER, "hi", null));
        assertThat(tables.row("messages", story.chatMessageId(2))).containsEntry("created_at", next.time());
    }

    @Test
    void a_v1_message_is_read_upcast_and_projected_without_tool_calls() throws IOException {
        startChat(null);

        Published v1 = deliver(story.chatMessageV1(1, MessageRole.ASSISTANT, "hello from before v2"));

        assertThat(v1.type()).isEqualTo("transcript.session.MessagePosted.v1");
        JsonNode data = JSON.readTree(v1.value()).path("data");
        assertThat(data.has("toolCalls")).as("v1 data: %s", data).isFalse();
        assertThat(data.path("content").asText()).isEqualTo("hello from before v2");
        assertThat(tables.row("messages", story.chatMessageId(1))).isEqualTo(columns(
                "id", story.chatMessageId(1),
                "conversation_id", story.chatConversationId,
                "user_id", story.userId,
                "role", "agent",
                "content", "hello from before v2",
                "tool_calls", null,
                "created_at", v1.time()));
        assertThat(tables.row("conversations", story.chatConversationId)).containsEntry("updated_at", v1.time());
        assertRedeliveryChangesNothing(v1);
    }

    @Test
    void messages_of_one_poll_are_written_together_each_of_its_owner_and_role() throws IOException {
        startChat(null);
        deliver(story.sessionStarted(log.now().plusSeconds(1)));
        var toolCalls = TodoStory.toolCalls("list_tasks", Map.of());
        List<Published> poll = List.of(
                log.append(story.chatMessage(1, MessageRole.SYSTEM, "you are a todo assistant", null)),
                log.append(story.chatMessage(2, MessageRole.USER, "what is left?", null)),
                log.append(story.sandbox.message(1, MessageRole.USER, "build me a todo app", 7)),
                log.append(story.chatMessage(3, MessageRole.ASSISTANT, "nothing", toolCalls)),
                log.append(story.sandbox.message(2, MessageRole.ASSISTANT, "sure", 2)));

        batches.apply(projector, EventLog.records(poll));

        assertThat(lastSequenceOf(story.chatSessionId.toString())).isEqualTo(poll.get(3).sequence());
        assertThat(lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(poll.get(4).sequence());
        assertThat(tables.rows("SELECT id, role FROM todo.messages WHERE conversation_id = ? ORDER BY created_at",
                story.chatConversationId)).containsExactly(
                columns("id", story.chatMessageId(2), "role", "user"),
                columns("id", story.chatMessageId(3), "role", "agent"));
        assertThat(json(tables.row("messages", story.chatMessageId(3)).get("tool_calls")))
                .isEqualTo(JSON.valueToTree(toolCalls));
        assertThat(tables.rows("SELECT id, role, user_id FROM todo.messages WHERE conversation_id = ? ORDER BY created_at",
                story.sandbox.conversationId)).containsExactly(
                columns("id", story.sandbox.messageId(1), "role", "user", "user_id", story.userId),
                columns("id", story.sandbox.messageId(2), "role", "agent", "user_id", story.userId));
        assertThat(tables.row("conversations", story.chatConversationId)).containsEntry("updated_at", poll.get(3).time());
        assertThat(tables.row("conversations", story.sandbox.conversationId))
                .containsEntry("updated_at", poll.get(4).time());

        Map<String, List<Map<String, Object>>> once = tables.dumpOf(story.userId);
        batches.apply(projector, EventLog.records(poll));
        assertThat(tables.dumpOf(story.userId)).as("rows after the poll was redelivered").isEqualTo(once);
    }

    // --- tasks

    @Test
    void a_created_task_is_an_open_tasks_row_of_its_user() {
        deliver(story.userRegistered());

        Published created = deliver(story.taskCreated("2 litres"));

        assertThat(tables.row("tasks", story.taskId)).isEqualTo(columns(
                "id", story.taskId,
                "user_id", story.userId,
                "title", TodoStory.TASK_TITLE,
                "description", "2 litres",
                "completed", false,
                "created_at", created.time(),
                "updated_at", created.time()));
        assertRedeliveryChangesNothing(created);
    }

    @Test
    void a_renamed_task_has_the_new_title_and_the_event_time_as_updated_at() {
        createTask();
        Map<String, Object> before = tables.row("tasks", story.taskId);

        Published renamed = deliver(story.taskRenamed("buy oat milk"));

        assertThat(tables.row("tasks", story.taskId))
                .isEqualTo(with(before, "title", "buy oat milk", "updated_at", renamed.time()));
        assertRedeliveryChangesNothing(renamed);
    }

    @Test
    void a_described_task_has_the_new_description_and_null_clears_it() {
        createTask();
        Map<String, Object> before = tables.row("tasks", story.taskId);

        Published described = deliver(story.taskDescribed("from the corner shop"));

        assertThat(tables.row("tasks", story.taskId))
                .isEqualTo(with(before, "description", "from the corner shop", "updated_at", described.time()));
        assertRedeliveryChangesNothing(described);

        Published cleared = deliver(story.taskDescribed(null));

        assertThat(tables.row("tasks", story.taskId))
                .isEqualTo(with(before, "description", null, "updated_at", cleared.time()));
        assertRedeliveryChangesNothing(cleared);
    }

    @Test
    void a_completed_task_is_completed_since_the_event_time() {
        createTask();
        Map<String, Object> before = tables.row("tasks", story.taskId);

        Published completed = deliver(story.taskCompleted());

        assertThat(tables.row("tasks", story.taskId))
                .isEqualTo(with(before, "completed", true, "updated_at", completed.time()));
        assertRedeliveryChangesNothing(completed);
    }

    @Test
    void a_reopened_task_is_open_again() {
        createTask();
        deliver(story.taskCompleted());
        Map<String, Object> before = tables.row("tasks", story.taskId);

        Published reopened = deliver(story.taskReopened());

        assertThat(tables.row("tasks", story.taskId))
                .isEqualTo(with(before, "completed", false, "updated_at", reopened.time()));
        assertRedeliveryChangesNothing(reopened);
    }

    @Test
    void a_deleted_task_is_gone_and_its_users_other_rows_stay() {
        createTask();
        Map<String, Object> user = tables.row("users", story.userId);

        Published deleted = deliver(story.taskDeleted());

        assertThat(tables.row("tasks", story.taskId)).isEmpty();
        assertThat(tables.row("users", story.userId)).isEqualTo(user);
        assertRedeliveryChangesNothing(deleted);
    }

    // --- nothing in todo

    @Test
    void events_that_mean_nothing_in_todo_change_no_row() {
        deliver(story.userRegistered());
        Published started = deliver(story.sessionStarted(log.now().plusSeconds(1)));
        createTaskOfRegisteredUser();
        List<TranscriptEvent> events = story.eventsWithNothingInTodo(started.time());
        assertThat(events.stream().map(event -> event.getClass().getSimpleName()).distinct())
                .as("one of each type declared nothing in todo").containsExactlyInAnyOrderElementsOf(NOTHING_IN_TODO);
        Map<String, List<Map<String, Object>>> before = tables.dumpOf(story.userId);

        for (TranscriptEvent event : events) {
            Published published = deliver(event);
            assertThat(tables.dumpOf(story.userId)).as("rows after %s", published.type()).isEqualTo(before);
            assertRedeliveryChangesNothing(published);
        }
    }

    // --- a parent in another partition

    @Test
    void a_task_created_before_its_user_waits_parked_and_lands_with_its_user() {
        Published created = log.append(story.taskCreated(null));
        Published renamed = log.append(story.taskRenamed("buy oat milk"));
        batches.apply(projector, EventLog.records(List.of(created, renamed)));

        assertThat(parkedOf(story.taskId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()),
                columns("sequence", 1L, "waiting_for", null));
        assertThat(tables.row("tasks", story.taskId)).as("no task before its user").isEmpty();

        Published registered = deliver(story.userRegistered());

        await("the parked task lands with its user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(story.taskId.toString())).isEmpty();
            assertThat(lastSequenceOf(story.taskId.toString())).isEqualTo(renamed.sequence());
        });
        assertThat(tables.row("tasks", story.taskId)).isEqualTo(columns(
                "id", story.taskId,
                "user_id", story.userId,
                "title", "buy oat milk",
                "description", null,
                "completed", false,
                "created_at", created.time(),
                "updated_at", renamed.time()));
        assertThat(registered.time()).isAfter(renamed.time());
    }

    @Test
    void a_session_started_before_its_user_waits_parked_with_its_messages_and_lands_with_its_user() {
        Published started = log.append(story.chatSessionStarted("groceries"));
        Published message = log.append(story.chatMessage(1, MessageRole.USER, "hello", null));
        Published sandbox = log.append(story.sessionStarted(log.now().plusSeconds(1)));
        batches.apply(projector, EventLog.records(List.of(started, message, sandbox)));

        assertThat(parkedOf(story.chatSessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()),
                columns("sequence", 1L, "waiting_for", null));
        assertThat(parkedOf(story.sandbox.sessionId.toString())).containsExactly(
                columns("sequence", 0L, "waiting_for", story.userId.toString()));
        assertThat(tables.dumpOf(story.userId).values()).allSatisfy(rows -> assertThat(rows).isEmpty());

        deliver(story.userRegistered());

        await("the parked sessions land with their user").atMost(LANDS).untilAsserted(() -> {
            assertThat(parkedOf(story.chatSessionId.toString())).isEmpty();
            assertThat(parkedOf(story.sandbox.sessionId.toString())).isEmpty();
            assertThat(lastSequenceOf(story.chatSessionId.toString())).isEqualTo(message.sequence());
            assertThat(lastSequenceOf(story.sandbox.sessionId.toString())).isEqualTo(sandbox.sequence());
        });
        assertThat(tables.row("conversations", story.chatConversationId)).isEqualTo(columns(
                "id", story.chatConversationId,
                "user_id", story.userId,
                "title", "groceries",
                "created_at", started.time(),
                "updated_at", message.time()));
        assertThat(tables.row("messages", story.chatMessageId(1)))
                .containsEntry("user_id", story.userId)
                .containsEntry("content", "hello");
        assertThat(tables.row("conversations", story.sandbox.conversationId))
                .containsEntry("user_id", story.userId)
                .containsEntry("created_at", sandbox.time());
    }

    // --- helpers

    private void startChat(String title) {
        deliver(story.userRegistered());
        deliver(story.chatSessionStarted(title));
    }

    private void createTask() {
        deliver(story.userRegistered());
        createTaskOfRegisteredUser();
    }

    private void createTaskOfRegisteredUser() {
        deliver(story.taskCreated(null));
    }

    /** Publishes the event and applies it as a poll of one record; it must be applied, not parked. */
    private Published deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        assertThat(lastSequenceOf(published.key())).as("applied: %s", published.type()).isEqualTo(published.sequence());
        assertThat(parkedOf(published.key())).as("nothing parked of %s", published.key()).isEmpty();
        return published;
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
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'todo' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, aggregateId);
    }

    private List<Map<String, Object>> parkedOf(String aggregateId) {
        List<Map<String, Object>> parked = new ArrayList<>();
        jdbc.queryForList("""
                SELECT sequence, waiting_for FROM projection.parked_event WHERE read_model = 'todo' AND aggregate_id = ?
                ORDER BY sequence""", aggregateId).forEach(row -> parked.add(new LinkedHashMap<>(row)));
        return parked;
    }

    private static JsonNode json(Object text) throws IOException {
        return text == null ? null : JSON.readTree((String) text);
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
