package dev.transcript.command.session;

import dev.transcript.command.support.FixtureClock;

import dev.transcript.command.Conflict;
import dev.transcript.command.InvalidField;
import dev.transcript.command.NotFound;
import dev.transcript.command.chat.StartChatSession;
import dev.transcript.command.chat.StartedChatSession;
import dev.transcript.command.checkpoint.CreateCheckpoint;
import dev.transcript.command.conversation.PostMessage;
import dev.transcript.command.file.DeleteFile;
import dev.transcript.command.file.StoreFile;
import dev.transcript.command.pricing.Price;
import dev.transcript.command.pricing.PriceList;
import dev.transcript.command.conversation.PostedMessage;
import dev.transcript.command.conversation.TitleConversation;
import dev.transcript.command.usage.RecordTokenUsage;
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
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The session aggregate, given-when-then. The injected {@link java.time.Clock} reads the fixture's simulated
 * time, so "now" in a command handler, in the deadline handler and in the stub deadline manager is one instant.
 */
class SessionTest {

    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a1");
    private static final UUID OTHER_SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000a2");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000b1");
    private static final UUID UNKNOWN_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000b2");
    private static final UUID CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c1");
    private static final UUID OTHER_CONVERSATION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000c2");
    private static final UUID CHECKPOINT_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000d1");
    private static final UUID USAGE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000e1");

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final long TTL_SECONDS = 3_600;
    private static final long EXTENSION_SECONDS = 1_800;
    private static final Instant EXPIRES_AT = START.plusSeconds(TTL_SECONDS);
    private static final Instant EXTENDED_EXPIRES_AT = EXPIRES_AT.plusSeconds(EXTENSION_SECONDS);

    private static final String CONTAINER_ID = "3f4e5d6c7b8a";
    private static final String CONTAINER_NAME = "transcript-sandbox-a1";
    private static final String IMAGE = "ghcr.io/transcript/sandbox:1.0";
    private static final BigDecimal CPU_LIMIT = new BigDecimal("1.5");
    private static final int MEMORY_LIMIT_MB = 2_048;
    private static final String FAILURE_REASON = "OOMKilled";

    private static final String FIRST_CONTENT = "Write a haiku about event sourcing.";
    private static final String SECOND_CONTENT = "Events fall like leaves / each one a fact that was true / state is their echo";
    private static final int FIRST_TOKENS = 12;
    private static final int SECOND_TOKENS = 21;
    private static final UUID FIRST_MESSAGE_ID = MessageIds.of(CONVERSATION_ID, 1);
    private static final UUID SECOND_MESSAGE_ID = MessageIds.of(CONVERSATION_ID, 2);

    private static final String COMMIT_HASH = "9fceb02d0ae598e95dc970b74767f19372d61af8";
    private static final String CHECKPOINT_DESCRIPTION = "after the haiku";
    private static final int FILES_CHANGED = 3;

    private static final String MODEL = "claude-sonnet-4";
    private static final int INPUT_TOKENS = 1_200;
    private static final int OUTPUT_TOKENS = 345;
    private static final BigDecimal INPUT_PRICE = new BigDecimal("3");
    private static final BigDecimal OUTPUT_PRICE = new BigDecimal("15");
    /** (1,200 × 3.00 + 345 × 15.00) / 1,000,000; the pricing itself is TokenCostTest's. */
    private static final BigDecimal COST = new BigDecimal("0.008775");
    private static final PriceList PRICES = new PriceList("USD",
            Map.of(MODEL, new Price(new BigDecimal("3.00"), new BigDecimal("15.00"))));

    private static final StartSession START_SESSION = new StartSession(SESSION_ID, USER_ID, CONVERSATION_ID, TTL_SECONDS);
    private static final ExtendSession EXTEND_SESSION = new ExtendSession(SESSION_ID, EXTENSION_SECONDS);
    private static final StopSession STOP_SESSION = new StopSession(SESSION_ID);
    private static final CreateContainer CREATE_CONTAINER =
            new CreateContainer(SESSION_ID, CONTAINER_ID, CONTAINER_NAME, IMAGE, CPU_LIMIT, MEMORY_LIMIT_MB);
    private static final PostMessage POST_FIRST = new PostMessage(SESSION_ID, MessageRole.USER, FIRST_CONTENT, FIRST_TOKENS);
    private static final PostMessage POST_SECOND =
            new PostMessage(SESSION_ID, MessageRole.ASSISTANT, SECOND_CONTENT, SECOND_TOKENS);

    private static final SessionStarted SESSION_STARTED =
            new SessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, TTL_SECONDS, EXPIRES_AT);
    private static final SessionActivated SESSION_ACTIVATED = new SessionActivated(SESSION_ID);
    private static final SessionStopped SESSION_STOPPED = new SessionStopped(SESSION_ID);
    private static final SessionExpired SESSION_EXPIRED = new SessionExpired(SESSION_ID, EXPIRES_AT);
    private static final SessionFailed SESSION_FAILED = new SessionFailed(SESSION_ID, FAILURE_REASON);
    private static final ContainerCreated CONTAINER_CREATED =
            new ContainerCreated(SESSION_ID, CONTAINER_ID, CONTAINER_NAME, IMAGE, CPU_LIMIT, MEMORY_LIMIT_MB);
    private static final ContainerStarted CONTAINER_STARTED = new ContainerStarted(SESSION_ID, CONTAINER_ID);
    private static final ContainerStopped CONTAINER_STOPPED = new ContainerStopped(SESSION_ID, CONTAINER_ID);
    private static final ContainerFailed CONTAINER_FAILED = new ContainerFailed(SESSION_ID, CONTAINER_ID, FAILURE_REASON);
    private static final MessagePosted FIRST_MESSAGE_POSTED = new MessagePosted(SESSION_ID, CONVERSATION_ID,
            FIRST_MESSAGE_ID, 1, MessageRole.USER, FIRST_CONTENT, FIRST_TOKENS, List.of(), Map.of(), null, null);
    private static final MessagePosted SECOND_MESSAGE_POSTED = new MessagePosted(SESSION_ID, CONVERSATION_ID,
            SECOND_MESSAGE_ID, 2, MessageRole.ASSISTANT, SECOND_CONTENT, SECOND_TOKENS, List.of(), Map.of(), null, null);

    private static final String TITLE = "A todo app";
    private static final String OTHER_TITLE = "A todo app, in Rust";
    private static final ConversationTitled CONVERSATION_TITLED = new ConversationTitled(SESSION_ID, CONVERSATION_ID, TITLE);

    private static final int PORT = 49_153;
    private static final String URL = "https://a1.sandbox.example.com:49153/";
    private static final Map<String, String> LABELS = Map.of("team", "growth", "tier", "free");
    private static final Map<String, Object> CONTAINER_METADATA = Map.of("node", "worker-3", "gpu", false);
    private static final ContainerDeleted CONTAINER_DELETED = new ContainerDeleted(SESSION_ID, CONTAINER_ID);

    private static final UUID FILE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f1");
    private static final UUID OTHER_FILE_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-0000000000f2");
    private static final String FILE_PATH = "/workspace/todo/README.md";
    private static final String FILE_NAME = "README.md";
    private static final long FILE_SIZE = 1_234;
    private static final String MIME_TYPE = "text/markdown";
    private static final StoreFile STORE_FILE = new StoreFile(SESSION_ID, FILE_ID, FILE_PATH, FILE_NAME, FILE_SIZE, MIME_TYPE);
    private static final FileStored FILE_STORED =
            new FileStored(SESSION_ID, FILE_ID, FILE_PATH, FILE_NAME, FILE_SIZE, MIME_TYPE);
    private static final FileDeleted FILE_DELETED = new FileDeleted(SESSION_ID, FILE_ID);

    private static final StartChatSession START_CHAT_SESSION =
            new StartChatSession(SESSION_ID, USER_ID, CONVERSATION_ID, TITLE);
    private static final ChatSessionStarted CHAT_SESSION_STARTED =
            new ChatSessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, TITLE);

    private final AggregateTestFixture<Session> fixture = new AggregateTestFixture<>(Session.class);
    private final InMemoryKnownUsers users = new InMemoryKnownUsers().register(USER_ID);
    private final InMemoryContainerNameClaims containerNames = new InMemoryContainerNameClaims();

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(users);
        fixture.registerInjectableResource(containerNames);
        fixture.registerInjectableResource(PRICES);
        fixture.registerInjectableResource(new FixtureClock(fixture::currentTime));
        fixture.givenCurrentTime(START);
    }

    // --- start ------------------------------------------------------------------------------------------------

    @Test
    void a_session_starts_for_a_known_user_and_schedules_its_expiry() {
        fixture.givenNoPriorActivity()
               .when(START_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(SESSION_STARTED)
               .expectResultMessagePayload(new StartedSession(SESSION_ID, CONVERSATION_ID, EXPIRES_AT))
               .expectScheduledDeadlineWithName(EXPIRES_AT, Session.EXPIRY)
               .expectScheduledDeadline(EXPIRES_AT, new ExpiryDue(EXPIRES_AT))
               .expectScheduledDeadline(Duration.ofSeconds(TTL_SECONDS), new ExpiryDue(EXPIRES_AT));
    }

    @Test
    void a_session_for_an_unknown_user_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new StartSession(SESSION_ID, UNKNOWN_USER_ID, CONVERSATION_ID, TTL_SECONDS))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("user " + UNKNOWN_USER_ID + " does not exist"))
               .expectNoScheduledDeadlines();
    }

    // --- chat session -------------------------------------------------------------------------------------------

    @Test
    void a_chat_session_starts_active_for_a_known_user_and_never_expires() {
        fixture.givenNoPriorActivity()
               .when(START_CHAT_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(CHAT_SESSION_STARTED)
               .expectResultMessagePayload(new StartedChatSession(SESSION_ID, CONVERSATION_ID))
               .expectNoScheduledDeadlines();
    }

    @Test
    void a_chat_session_starts_without_a_title() {
        fixture.givenNoPriorActivity()
               .when(new StartChatSession(SESSION_ID, USER_ID, CONVERSATION_ID, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new ChatSessionStarted(SESSION_ID, USER_ID, CONVERSATION_ID, null));
    }

    @Test
    void a_chat_session_for_an_unknown_user_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new StartChatSession(SESSION_ID, UNKNOWN_USER_ID, CONVERSATION_ID, TITLE))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("user " + UNKNOWN_USER_ID + " does not exist"));
    }

    @Test
    void a_chat_session_takes_messages_a_year_on() {
        fixture.given(CHAT_SESSION_STARTED)
               .andGivenCurrentTime(START.plus(Duration.ofDays(365)))
               .when(POST_FIRST)
               .expectSuccessfulHandlerExecution()
               .expectEvents(FIRST_MESSAGE_POSTED);
    }

    @Test
    void a_chat_session_keeps_the_title_it_started_with() {
        fixture.given(CHAT_SESSION_STARTED)
               .when(new TitleConversation(SESSION_ID, TITLE))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void a_chat_session_stops() {
        fixture.given(CHAT_SESSION_STARTED)
               .when(STOP_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(SESSION_STOPPED);
    }

    @Test
    void a_message_to_a_stopped_chat_session_is_refused() {
        fixture.given(CHAT_SESSION_STARTED, SESSION_STOPPED)
               .when(POST_FIRST)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is stopped"));
    }

    @Test
    void a_container_for_a_chat_session_is_refused() {
        fixture.given(CHAT_SESSION_STARTED)
               .when(CREATE_CONTAINER)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("a chat session has no container"));

        assertThat(containerNames.holderOf(CONTAINER_NAME)).isNull();
    }

    @Test
    void a_chat_session_cannot_be_extended() {
        fixture.given(CHAT_SESSION_STARTED)
               .when(EXTEND_SESSION)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("a chat session has no time limit"))
               .expectNoScheduledDeadlines();
    }

    @Test
    void a_checkpoint_of_a_chat_session_is_refused() {
        fixture.given(CHAT_SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new CreateCheckpoint(SESSION_ID, CHECKPOINT_ID, COMMIT_HASH, 1, CHECKPOINT_DESCRIPTION,
                       FILES_CHANGED))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("a chat session has no git repository"));
    }

    @Test
    void token_usage_of_a_chat_message_is_recorded() {
        fixture.given(CHAT_SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, FIRST_MESSAGE_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, FIRST_MESSAGE_ID, MODEL,
                       INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS, INPUT_PRICE, OUTPUT_PRICE, COST, "USD"));
    }

    // --- container ----------------------------------------------------------------------------------------------

    @Test
    void a_pending_session_gets_its_container() {
        fixture.given(SESSION_STARTED)
               .when(CREATE_CONTAINER)
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_CREATED);

        assertThat(containerNames.holderOf(CONTAINER_NAME)).isEqualTo(SESSION_ID);
    }

    @Test
    void a_second_container_is_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED)
               .when(new CreateContainer(SESSION_ID, "another-id", "another-name", IMAGE, CPU_LIMIT, MEMORY_LIMIT_MB))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("has a container already"));
    }

    @Test
    void a_container_name_taken_by_another_session_is_refused() {
        containerNames.claim(CONTAINER_NAME, OTHER_SESSION_ID);

        fixture.given(SESSION_STARTED)
               .when(CREATE_CONTAINER)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("container name " + CONTAINER_NAME + " is taken"));
    }

    @Test
    void a_container_for_a_stopped_session_is_refused() {
        fixture.given(SESSION_STARTED, SESSION_STOPPED)
               .when(CREATE_CONTAINER)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is stopped"));

        assertThat(containerNames.holderOf(CONTAINER_NAME)).isNull();
    }

    @Test
    void a_started_container_activates_its_pending_session() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED)
               .when(new MarkContainerStarted(SESSION_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_STARTED, SESSION_ACTIVATED);
    }

    @Test
    void a_container_start_without_a_container_is_refused() {
        fixture.given(SESSION_STARTED)
               .when(new MarkContainerStarted(SESSION_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("has no container"));
    }

    @Test
    void a_running_container_stops() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(new MarkContainerStopped(SESSION_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_STOPPED);
    }

    @Test
    void a_container_stops_after_its_session_was_stopped() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED)
               .when(new MarkContainerStopped(SESSION_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_STOPPED);
    }

    @Test
    void a_stopped_container_cannot_stop_again() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, CONTAINER_STOPPED)
               .when(new MarkContainerStopped(SESSION_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("the container of session " + SESSION_ID + " is stopped"));
    }

    @Test
    void a_failed_container_fails_its_open_session() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(new MarkContainerFailed(SESSION_ID, FAILURE_REASON))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_FAILED, SESSION_FAILED);
    }

    @Test
    void a_failed_container_of_a_stopped_session_leaves_the_session_stopped() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED)
               .when(new MarkContainerFailed(SESSION_ID, FAILURE_REASON))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_FAILED);
    }

    @Test
    void a_failure_without_a_container_is_refused() {
        fixture.given(SESSION_STARTED)
               .when(new MarkContainerFailed(SESSION_ID, FAILURE_REASON))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("has no container"));
    }

    @Test
    void a_running_container_is_exposed() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(new ExposeContainer(SESSION_ID, PORT, URL))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new ContainerExposed(SESSION_ID, CONTAINER_ID, PORT, URL));
    }

    @Test
    void a_container_that_is_not_running_cannot_be_exposed() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED)
               .when(new ExposeContainer(SESSION_ID, PORT, URL))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("the container of session " + SESSION_ID + " is creating"));
    }

    @Test
    void a_running_container_of_an_ended_session_cannot_be_exposed() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED)
               .when(new ExposeContainer(SESSION_ID, PORT, URL))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is stopped"));
    }

    @Test
    void a_container_is_labeled_also_after_its_session_ended() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED,
                       CONTAINER_STOPPED)
               .when(new LabelContainer(SESSION_ID, LABELS, CONTAINER_METADATA))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new ContainerLabeled(SESSION_ID, CONTAINER_ID, LABELS, CONTAINER_METADATA));
    }

    @Test
    void labels_without_a_container_are_not_found() {
        fixture.given(SESSION_STARTED)
               .when(new LabelContainer(SESSION_ID, LABELS, CONTAINER_METADATA))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " has no container"));
    }

    @Test
    void labels_of_a_deleted_container_are_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_FAILED, SESSION_FAILED, CONTAINER_DELETED)
               .when(new LabelContainer(SESSION_ID, LABELS, CONTAINER_METADATA))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("the container of session " + SESSION_ID + " is deleted"));
    }

    @Test
    void a_stopped_container_is_deleted_after_its_session_ended() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED,
                       CONTAINER_STOPPED)
               .when(new DeleteContainer(SESSION_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_DELETED);
    }

    @Test
    void a_failed_container_is_deleted() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_FAILED, SESSION_FAILED)
               .when(new DeleteContainer(SESSION_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONTAINER_DELETED);
    }

    @Test
    void a_running_container_cannot_be_deleted() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(new DeleteContainer(SESSION_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("the container of session " + SESSION_ID + " is running"));
    }

    @Test
    void a_deleted_container_cannot_be_deleted_again() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, CONTAINER_STOPPED, CONTAINER_DELETED)
               .when(new DeleteContainer(SESSION_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is deleted"));
    }

    @Test
    void deleting_no_container_is_not_found() {
        fixture.given(CHAT_SESSION_STARTED)
               .when(new DeleteContainer(SESSION_ID))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("chat session " + SESSION_ID + " has no container"));
    }

    @Test
    void a_session_whose_container_was_deleted_gets_no_second_one() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_FAILED, CONTAINER_DELETED)
               .when(new CreateContainer(SESSION_ID, "another-id", "another-name", IMAGE, CPU_LIMIT, MEMORY_LIMIT_MB))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("a session gets only one"));

        assertThat(containerNames.holderOf("another-name")).isNull();
    }

    // --- files --------------------------------------------------------------------------------------------------

    @Test
    void a_file_of_the_container_is_stored() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(STORE_FILE)
               .expectSuccessfulHandlerExecution()
               .expectEvents(FILE_STORED)
               .expectResultMessagePayload(FILE_ID);
    }

    @Test
    void a_file_of_a_stopped_container_of_an_ended_session_is_stored() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED, SESSION_STOPPED,
                       CONTAINER_STOPPED)
               .when(new StoreFile(SESSION_ID, FILE_ID, FILE_PATH, FILE_NAME, 0, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new FileStored(SESSION_ID, FILE_ID, FILE_PATH, FILE_NAME, 0, null));
    }

    @Test
    void a_file_without_a_container_is_refused() {
        fixture.given(SESSION_STARTED)
               .when(STORE_FILE)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " has no container"));
    }

    @Test
    void a_file_of_a_deleted_container_is_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_FAILED, SESSION_FAILED, CONTAINER_DELETED)
               .when(STORE_FILE)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("the container of session " + SESSION_ID + " is deleted"));
    }

    @Test
    void a_file_id_stored_already_is_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, FILE_STORED, FILE_DELETED)
               .when(STORE_FILE)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("has a file " + FILE_ID + " already"));
    }

    @Test
    void a_stored_file_is_deleted_also_after_its_container_was() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, FILE_STORED, CONTAINER_STOPPED,
                       CONTAINER_DELETED, SESSION_STOPPED)
               .when(new DeleteFile(SESSION_ID, FILE_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(FILE_DELETED);
    }

    @Test
    void deleting_an_unknown_file_is_not_found() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, FILE_STORED)
               .when(new DeleteFile(SESSION_ID, OTHER_FILE_ID))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " has no file " + OTHER_FILE_ID));
    }

    @Test
    void deleting_a_deleted_file_is_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, FILE_STORED, FILE_DELETED)
               .when(new DeleteFile(SESSION_ID, FILE_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is deleted already"));
    }

    // --- stop and extend ----------------------------------------------------------------------------------------

    @Test
    void an_open_session_stops() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_STARTED, SESSION_ACTIVATED)
               .when(STOP_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(SESSION_STOPPED);
    }

    @Test
    void a_stopped_session_cannot_stop_again() {
        fixture.given(SESSION_STARTED, SESSION_STOPPED)
               .when(STOP_SESSION)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is stopped"));
    }

    @Test
    void an_extension_moves_the_expiry_and_schedules_a_new_deadline() {
        fixture.givenCommands(START_SESSION)
               .when(EXTEND_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(new SessionExtended(SESSION_ID, EXTENSION_SECONDS, EXTENDED_EXPIRES_AT))
               .expectScheduledDeadline(EXTENDED_EXPIRES_AT, new ExpiryDue(EXTENDED_EXPIRES_AT))
               .expectScheduledDeadline(EXPIRES_AT, new ExpiryDue(EXPIRES_AT));
    }

    @Test
    void an_extension_adds_to_the_expiry_not_to_the_current_time() {
        Instant tenMinutesIn = START.plus(Duration.ofMinutes(10));

        fixture.given(SESSION_STARTED)
               .andGivenCurrentTime(tenMinutesIn)
               .when(EXTEND_SESSION)
               .expectSuccessfulHandlerExecution()
               .expectEvents(new SessionExtended(SESSION_ID, EXTENSION_SECONDS, EXTENDED_EXPIRES_AT))
               .expectScheduledDeadlineWithName(EXTENDED_EXPIRES_AT, Session.EXPIRY);
    }

    @Test
    void a_stopped_session_cannot_be_extended() {
        fixture.given(SESSION_STARTED, SESSION_STOPPED)
               .when(EXTEND_SESSION)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is stopped"))
               .expectNoScheduledDeadlines();
    }

    // --- expiry -------------------------------------------------------------------------------------------------

    @Test
    void an_open_session_expires_when_its_deadline_is_reached() {
        fixture.givenCommands(START_SESSION)
               .whenTimeAdvancesTo(EXPIRES_AT)
               .expectTriggeredDeadlinesWithName(Session.EXPIRY)
               .expectTriggeredDeadlines(new ExpiryDue(EXPIRES_AT))
               .expectEvents(SESSION_EXPIRED);
    }

    @Test
    void an_open_session_does_not_expire_before_its_deadline() {
        fixture.givenCommands(START_SESSION)
               .whenTimeElapses(Duration.ofSeconds(TTL_SECONDS - 1))
               .expectTriggeredDeadlines()
               .expectNoEvents()
               .expectScheduledDeadlineWithName(EXPIRES_AT, Session.EXPIRY);
    }

    @Test
    void a_deadline_from_before_an_extension_is_ignored() {
        fixture.givenCommands(START_SESSION, EXTEND_SESSION)
               .whenTimeAdvancesTo(EXPIRES_AT)
               .expectTriggeredDeadlines(new ExpiryDue(EXPIRES_AT))
               .expectNoEvents()
               .expectScheduledDeadline(EXTENDED_EXPIRES_AT, new ExpiryDue(EXTENDED_EXPIRES_AT));
    }

    @Test
    void an_extended_session_expires_at_its_new_expiry() {
        fixture.givenCommands(START_SESSION, EXTEND_SESSION)
               .whenTimeAdvancesTo(EXTENDED_EXPIRES_AT)
               .expectTriggeredDeadlines(new ExpiryDue(EXPIRES_AT), new ExpiryDue(EXTENDED_EXPIRES_AT))
               .expectEvents(new SessionExpired(SESSION_ID, EXTENDED_EXPIRES_AT));
    }

    @Test
    void a_stopped_session_does_not_expire() {
        fixture.givenCommands(START_SESSION, STOP_SESSION)
               .whenTimeAdvancesTo(EXPIRES_AT)
               .expectTriggeredDeadlinesWithName(Session.EXPIRY)
               .expectNoEvents();
    }

    // --- conversation -------------------------------------------------------------------------------------------

    @Test
    void the_first_message_is_number_one() {
        fixture.givenCommands(START_SESSION)
               .when(POST_FIRST)
               .expectSuccessfulHandlerExecution()
               .expectEvents(FIRST_MESSAGE_POSTED)
               .expectResultMessagePayload(new PostedMessage(FIRST_MESSAGE_ID, 1));
    }

    @Test
    void the_next_message_gets_the_next_number() {
        fixture.givenCommands(START_SESSION, POST_FIRST)
               .when(POST_SECOND)
               .expectSuccessfulHandlerExecution()
               .expectEvents(SECOND_MESSAGE_POSTED)
               .expectResultMessagePayload(new PostedMessage(SECOND_MESSAGE_ID, 2));
    }

    @Test
    void a_message_carries_its_attachments_metadata_tool_calls_and_model() {
        List<Map<String, Object>> attachments = List.of(Map.of("fileName", "plan.md", "url", "https://files.example/1"));
        Map<String, Object> metadata = Map.of("temperature", 0.2, "client", Map.of("name", "web"));
        List<Map<String, Object>> toolCalls = List.of(Map.of("id", "call_1", "name", "bash", "input", Map.of("cmd", "ls")));

        fixture.given(SESSION_STARTED)
               .when(new PostMessage(SESSION_ID, MessageRole.ASSISTANT, SECOND_CONTENT, SECOND_TOKENS, attachments,
                       metadata, toolCalls, MODEL))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new MessagePosted(SESSION_ID, CONVERSATION_ID, FIRST_MESSAGE_ID, 1, MessageRole.ASSISTANT,
                       SECOND_CONTENT, SECOND_TOKENS, attachments, metadata, toolCalls, MODEL));
    }

    @Test
    void a_message_to_a_stopped_session_is_refused() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED, SESSION_STOPPED)
               .when(POST_SECOND)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is stopped"));
    }

    @Test
    void a_message_to_an_expired_session_is_refused() {
        fixture.given(SESSION_STARTED, SESSION_EXPIRED)
               .when(POST_FIRST)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is expired"));
    }

    @Test
    void a_message_to_a_failed_session_is_refused() {
        fixture.given(SESSION_STARTED, CONTAINER_CREATED, CONTAINER_FAILED, SESSION_FAILED)
               .when(POST_FIRST)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " is error"));
    }

    @Test
    void a_message_just_before_the_expiry_is_accepted() {
        fixture.given(SESSION_STARTED)
               .andGivenCurrentTime(EXPIRES_AT.minusMillis(1))
               .when(POST_FIRST)
               .expectSuccessfulHandlerExecution()
               .expectEvents(FIRST_MESSAGE_POSTED);
    }

    @Test
    void a_message_after_the_expiry_is_refused_before_the_deadline_has_fired() {
        // No SessionExpired yet: the deadline is late (a busy scheduler), but the time has passed.
        fixture.given(SESSION_STARTED)
               .andGivenCurrentTime(EXPIRES_AT)
               .when(POST_FIRST)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("session " + SESSION_ID + " expired at " + EXPIRES_AT));
    }

    // --- title --------------------------------------------------------------------------------------------------

    @Test
    void a_conversation_gets_a_title() {
        fixture.given(SESSION_STARTED)
               .when(new TitleConversation(SESSION_ID, TITLE))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONVERSATION_TITLED);
    }

    @Test
    void a_new_title_replaces_the_old_one() {
        fixture.given(SESSION_STARTED, CONVERSATION_TITLED)
               .when(new TitleConversation(SESSION_ID, OTHER_TITLE))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new ConversationTitled(SESSION_ID, CONVERSATION_ID, OTHER_TITLE));
    }

    @Test
    void the_title_the_conversation_has_already_appends_nothing() {
        fixture.given(SESSION_STARTED, CONVERSATION_TITLED)
               .when(new TitleConversation(SESSION_ID, TITLE))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void a_conversation_is_titled_after_its_session_ended() {
        fixture.given(SESSION_STARTED, SESSION_EXPIRED)
               .when(new TitleConversation(SESSION_ID, TITLE))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CONVERSATION_TITLED);
    }

    // --- checkpoints ----------------------------------------------------------------------------------------------

    @Test
    void a_checkpoint_after_an_existing_message_is_created() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED, SECOND_MESSAGE_POSTED)
               .when(new CreateCheckpoint(SESSION_ID, CHECKPOINT_ID, COMMIT_HASH, 2, CHECKPOINT_DESCRIPTION,
                       FILES_CHANGED))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new CheckpointCreated(SESSION_ID, CHECKPOINT_ID, COMMIT_HASH, 2, CHECKPOINT_DESCRIPTION,
                       FILES_CHANGED))
               .expectResultMessagePayload(CHECKPOINT_ID);
    }

    @Test
    void a_checkpoint_beyond_the_last_message_is_refused() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new CreateCheckpoint(SESSION_ID, CHECKPOINT_ID, COMMIT_HASH, 2, CHECKPOINT_DESCRIPTION,
                       FILES_CHANGED))
               .expectNoEvents()
               .expectException(InvalidField.class)
               .expectException(invalidField("messageNumber"))
               .expectExceptionMessage(containsString("the conversation has no message 2 (it has 1)"));
    }

    // --- token usage ----------------------------------------------------------------------------------------------

    @Test
    void token_usage_of_an_own_message_is_recorded_with_its_total() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, FIRST_MESSAGE_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, FIRST_MESSAGE_ID, MODEL,
                       INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS, INPUT_PRICE, OUTPUT_PRICE, COST, "USD"))
               .expectResultMessagePayload(USAGE_ID);
    }

    @Test
    void token_usage_of_no_single_message_is_recorded() {
        fixture.given(SESSION_STARTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, null, MODEL,
                       INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS, INPUT_PRICE, OUTPUT_PRICE, COST, "USD"));
    }

    @Test
    void token_usage_of_the_most_tokens_of_each_kind_is_recorded() {
        int most = RecordTokenUsage.MAX_TOKENS;

        fixture.given(SESSION_STARTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, most, most, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, null, MODEL, most, most,
                       2 * most, INPUT_PRICE, OUTPUT_PRICE, new BigDecimal("18000"), "USD"));
    }

    @Test
    void token_usage_of_more_tokens_than_a_charge_may_count_is_refused() {
        fixture.given(SESSION_STARTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, 10, RecordTokenUsage.MAX_TOKENS + 1, null))
               .expectNoEvents()
               .expectException(invalidField("outputTokens"))
               .expectExceptionMessage(containsString("between 0 and " + RecordTokenUsage.MAX_TOKENS));
    }

    @Test
    void token_usage_of_a_negative_count_is_refused() {
        fixture.given(SESSION_STARTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, -1, 10, null))
               .expectNoEvents()
               .expectException(invalidField("inputTokens"));
    }

    @Test
    void token_usage_of_a_message_of_another_session_is_refused() {
        UUID messageOfAnotherSession = MessageIds.of(OTHER_CONVERSATION_ID, 1);

        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS,
                       messageOfAnotherSession))
               .expectNoEvents()
               .expectException(InvalidField.class)
               .expectException(invalidField("chatMessageId"))
               .expectExceptionMessage(containsString("is not a message of session " + SESSION_ID));
    }

    @Test
    void token_usage_of_a_message_beyond_the_count_is_refused() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, SECOND_MESSAGE_ID))
               .expectNoEvents()
               .expectException(InvalidField.class)
               .expectException(invalidField("chatMessageId"))
               .expectExceptionMessage(containsString("message " + SECOND_MESSAGE_ID + " is not a message of session"));
    }

    @Test
    void token_usage_on_a_stopped_session_is_still_recorded() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED, SESSION_STOPPED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, FIRST_MESSAGE_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, FIRST_MESSAGE_ID, MODEL,
                       INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS, INPUT_PRICE, OUTPUT_PRICE, COST, "USD"));
    }

    @Test
    void token_usage_on_an_expired_session_is_still_recorded() {
        fixture.given(SESSION_STARTED, FIRST_MESSAGE_POSTED, SESSION_EXPIRED)
               .when(new RecordTokenUsage(SESSION_ID, USAGE_ID, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, FIRST_MESSAGE_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TokenUsageRecorded(SESSION_ID, CONVERSATION_ID, USAGE_ID, FIRST_MESSAGE_ID, MODEL,
                       INPUT_TOKENS, OUTPUT_TOKENS, INPUT_TOKENS + OUTPUT_TOKENS, INPUT_PRICE, OUTPUT_PRICE, COST, "USD"));
    }

    private static Matcher<InvalidField> invalidField(String field) {
        return new FeatureMatcher<>(equalTo(field), "an InvalidField on field", "field") {
            @Override
            protected String featureValueOf(InvalidField actual) {
                return actual.field();
            }
        };
    }
}
