package dev.transcript.projection.chatapp;

import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.support.ChatAppProjection;
import dev.transcript.projection.support.ChatAppProjection.Engine;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.Published;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The same events projected into chat_app on PostgreSQL and on MariaDB make the same rows, read back through JDBC
 * with values normalised alike ({@code ChatAppTables}); delivered again, they change nothing on either. And the one
 * thing MariaDB adds, two commits instead of one: a crash between chat_app's commit and PostgreSQL's only means a
 * redelivery, which changes nothing. Skipped where no MariaDB answers.
 */
class ChatAppEnginesAgreeIT {

    private static final Duration LANDS = Duration.ofSeconds(30);

    static ChatAppProjection postgres;
    static ChatAppProjection mariaDb;

    @BeforeAll
    static void startBoth() {
        mariaDb = ChatAppProjection.start(Engine.MARIADB); // first: skips the class before anything is started
        postgres = ChatAppProjection.start(Engine.POSTGRESQL);
    }

    @AfterAll
    static void stopBoth() {
        for (ChatAppProjection projection : new ChatAppProjection[] {postgres, mariaDb}) {
            if (projection != null) {
                projection.close();
            }
        }
    }

    @Test
    void a_whole_story_makes_identical_rows_on_both_engines_and_delivering_every_event_again_changes_nothing() {
        EventLog log = new EventLog(Instant.parse("2026-03-02T10:00:00.123456Z"));
        ChatAppStory ada = new ChatAppStory();
        ChatAppStory bob = new ChatAppStory();
        List<Published> events = new ArrayList<>(wholeStory(log, ada));
        // Bob's pipeline and chat arrive before Bob: parked on both engines, then landed by the drainer.
        events.add(log.append(bob.pipelineStarted(Map.of("text", "hello"))));
        events.add(log.append(bob.chatSessionStarted("Bob's chat")));
        events.add(log.append(bob.chatMessage(1, MessageRole.USER, "hi")));
        events.add(log.append(bob.userRegistered()));
        events.add(log.append(bob.pipelineCompleted(Map.of("summary", "hi"), 42)));
        List<UUID> users = List.of(ada.userId, bob.userId);

        for (ChatAppProjection projection : List.of(postgres, mariaDb)) {
            for (int from = 0; from < events.size(); from += 6) {
                projection.deliver(EventLog.records(events.subList(from, Math.min(from + 6, events.size()))));
            }
            await(projection + ": nothing parked").atMost(LANDS).until(() -> projection.parked() == 0);
        }

        Map<String, ?> onPostgres = postgres.tables().dumpOf(users);
        assertThat(postgres.tables().countsOf(ada.userId, bob.userId)).isEqualTo(Map.of(
                "users", 2, "sessions", 1, "chat_sessions", 3, "chat_messages", 7, "pipeline_executions", 3));
        assertThat(mariaDb.tables().dumpOf(users)).as("MariaDB's rows, PostgreSQL's expected").isEqualTo(onPostgres);

        for (ChatAppProjection projection : List.of(postgres, mariaDb)) {
            projection.deliver(EventLog.records(events));
            assertThat(projection.tables().dumpOf(users)).as("%s after every event was delivered again", projection)
                    .isEqualTo(onPostgres);
            for (Published event : events) {
                assertThat(projection.applyDirectly(event)).as("%s applied again", event.type())
                        .isEqualTo(Outcome.APPLIED);
            }
            assertThat(projection.tables().dumpOf(users)).as("%s after the projector applied every event again",
                    projection).isEqualTo(onPostgres);
        }
    }

    @Test
    void a_crash_between_the_chat_app_commit_and_the_postgresql_commit_only_means_a_redelivery_that_changes_nothing() {
        EventLog log = new EventLog(Instant.parse("2026-03-03T11:00:00Z"));
        ChatAppStory story = new ChatAppStory();
        List<Published> poll = wholeStory(log, story);
        postgres.deliver(EventLog.records(poll));
        Map<String, ?> expected = postgres.tables().dumpOf(story.userId);
        Map<String, Long> lastSequences = lastSequences(poll);

        refuseCommits(mariaDb, true);
        try {
            assertThatThrownBy(() -> mariaDb.deliver(EventLog.records(poll)))
                    .as("PostgreSQL refuses the poll's commit")
                    .rootCause().hasMessageContaining("the test refuses");
        } finally {
            refuseCommits(mariaDb, false);
        }

        assertThat(mariaDb.tables().dumpOf(story.userId)).as("chat_app committed first: its rows are all there")
                .isEqualTo(expected);
        lastSequences.keySet().forEach(aggregate -> assertThat(mariaDb.lastSequenceOf(aggregate))
                .as("%s: the positions were rolled back", aggregate).isNull());
        assertThat(mariaDb.parked()).isZero();

        mariaDb.deliver(EventLog.records(poll)); // Kafka delivers the poll again: its offsets were never committed

        assertThat(mariaDb.tables().dumpOf(story.userId)).as("rows after the redelivery").isEqualTo(expected);
        lastSequences.forEach((aggregate, sequence) -> assertThat(mariaDb.lastSequenceOf(aggregate))
                .as("%s: applied", aggregate).isEqualTo(sequence));
        assertThat(mariaDb.parked()).isZero();
    }

    /**
     * Ada's story in command-service's order: registration, a login used and closed, a deactivation and back, a
     * titled and retitled chat with messages of every role (unordered nested metadata, non-ASCII text, U+0000, a
     * content longer than TEXT holds), a sandbox session with messages and things chat_app ignores, a pipeline
     * that completes and one that fails.
     */
    private static List<Published> wholeStory(EventLog log, ChatAppStory story) {
        List<TranscriptEvent> events = new ArrayList<>();
        events.add(story.userRegistered());
        events.add(story.loginOpened(log.now().plusSeconds(86_400).plusNanos(987_654_321)));
        events.add(story.chatSessionStarted("Groceries"));
        events.add(story.chatMessage(1, MessageRole.SYSTEM, "you are a shopping assistant"));
        events.add(story.chatMessage(2, MessageRole.USER, "Ärger mit 😀 and a \0 in it", ChatAppStory.unorderedMetadata(),
                null));
        events.add(story.loginTouched());
        events.add(story.chatMessage(3, MessageRole.ASSISTANT, "noted", Map.of("b", 2, "a", List.of()), "gpt-x"));
        events.add(story.chatTitled("Weekly groceries"));
        events.add(story.chatMessage(4, MessageRole.USER, "x".repeat(70_000)));
        events.add(story.sessionStarted(log.now().plusSeconds(1)));
        events.add(story.sandbox.containerCreated());
        events.add(story.sandbox.message(1, MessageRole.USER, "build me a chat app", 7));
        events.add(story.sandbox.message(2, MessageRole.ASSISTANT, "sure", 2));
        events.add(story.pipelineStarted(ChatAppStory.unorderedMetadata()));
        events.add(story.failingPipelineStarted());
        events.add(story.pipelineCompleted(Map.of("summary", "milk", "items", List.of("milk")), 1_234));
        events.add(story.failingPipelineFailed("timed out", 30_000));
        events.add(story.loginClosed());
        events.add(story.deactivated());
        events.add(story.reactivated());
        List<Published> published = new ArrayList<>();
        events.forEach(event -> published.add(log.append(event)));
        return published;
    }

    private static Map<String, Long> lastSequences(List<Published> events) {
        Map<String, Long> last = new LinkedHashMap<>();
        events.forEach(event -> last.put(event.key(), event.sequence()));
        return last;
    }

    /**
     * Makes PostgreSQL refuse to commit chat_app's polls, at COMMIT itself (a deferred constraint trigger on the
     * partition progress every poll writes): after the chat_app transaction has committed, as a crash there would.
     */
    private static void refuseCommits(ChatAppProjection projection, boolean refuse) {
        projection.postgres().execute(refuse ? """
                CREATE FUNCTION public.refuse_chat_app_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the test refuses this commit' USING ERRCODE = '40001';
                END $$;
                CREATE CONSTRAINT TRIGGER refuse_chat_app_commit AFTER INSERT OR UPDATE ON projection.partition_progress
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.read_model = 'chat_app')
                    EXECUTE FUNCTION public.refuse_chat_app_commit();
                """ : """
                DROP TRIGGER refuse_chat_app_commit ON projection.partition_progress;
                DROP FUNCTION public.refuse_chat_app_commit();
                """);
    }
}
