package dev.transcript.projection.builder;

import dev.transcript.events.TranscriptEvent;
import dev.transcript.events.session.MessageRole;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.projection.support.BuilderStory;
import dev.transcript.projection.support.BuilderTables;
import dev.transcript.projection.support.EventLog;
import dev.transcript.projection.support.ProjectorOnPostgres;
import dev.transcript.projection.support.Published;
import dev.transcript.projection.support.SessionStory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's two views over projected rows, on a database holding only this test's rows, so each view is read
 * whole ({@code SELECT * FROM builder.<view>}) and must answer exactly as the seed's SQL says.
 *
 * <p>Two users. Ada has seven sandbox sessions whose containers end in every status (created, running, stopped,
 * stopped after a failure, deleted), one of them running two projects and one running none, plus a project with
 * no container and a chat-only conversation; Grace has one running, exposed container with a project.
 */
@ProjectorOnPostgres
@DirtiesContext // a database of its own: the views are read whole
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BuilderViewsIT {

    /** The columns of builder.containers, in the table's order: {@code c.*}. */
    static final List<String> CONTAINER_COLUMNS = List.of("id", "container_id", "name", "status", "image_name",
            "assigned_port", "url", "created_at", "updated_at", "started_at", "stopped_at", "user_id", "labels",
            "metadata");
    /** The columns of builder.projects, in the table's order: {@code p.*}. */
    static final List<String> PROJECT_COLUMNS = List.of("id", "container_id", "name", "description", "type", "status",
            "created_at", "updated_at", "user_id", "metadata", "settings");

    @Autowired
    RecordBatches batches;
    @Autowired
    BuilderProjector projector;
    @Autowired
    JdbcTemplate jdbc;

    final EventLog log = new EventLog(Instant.parse("2026-01-01T09:00:00Z"));
    BuilderTables tables;

    BuilderStory ada;
    BuilderStory grace;
    /** Ada's sessions, by the status their container ends in. */
    BuilderStory created, running, stopped, failed, deleted, createdWithoutProject;
    final UUID todo = UUID.randomUUID(), todoDocs = UUID.randomUUID(), blog = UUID.randomUUID(),
            notes = UUID.randomUUID(), legacy = UUID.randomUUID(), shop = UUID.randomUUID();

    @BeforeAll
    void projectTwoUsersWithContainersInEveryStatusProjectsAndMessages() {
        tables = new BuilderTables(jdbc);
        ada = new BuilderStory();
        created = ada.anotherSessionOfTheSameUser();
        running = ada.anotherSessionOfTheSameUser();
        stopped = ada.anotherSessionOfTheSameUser();
        failed = ada.anotherSessionOfTheSameUser();
        deleted = ada.anotherSessionOfTheSameUser();
        createdWithoutProject = ada.anotherSessionOfTheSameUser();
        grace = new BuilderStory(new SessionStory());

        deliver(ada.userRegistered());
        deliver(grace.userRegistered());
        deliver(ada.profileChanged("Ada Lovelace", null));

        // Containers, created in this order (their created_at ascending), each taken to its final status.
        deliver(created.sessionStarted(log.now()));
        deliver(created.message(1, MessageRole.USER, "a blog, please"));
        deliver(created.containerCreated());

        deliver(running.sessionStarted(log.now()));
        deliver(running.message(1, MessageRole.USER, "a todo app")); // before its container: attached later
        deliver(running.containerCreated());
        deliver(running.containerStarted());
        deliver(running.containerExposed(49153, "http://127.0.0.1:49153"));
        deliver(running.message(2, MessageRole.ASSISTANT, "scaffolding next.js"));
        deliver(running.message(3, MessageRole.USER, "thanks"));

        deliver(stopped.sessionStarted(log.now()));
        deliver(stopped.containerCreated());
        deliver(stopped.containerStarted());
        deliver(stopped.message(1, MessageRole.USER, "an old thing"));
        deliver(stopped.containerStopped());

        deliver(failed.sessionStarted(log.now()));
        deliver(failed.containerCreated());
        deliver(failed.containerFailed("image not found"));

        deliver(deleted.sessionStarted(log.now()));
        deliver(deleted.containerCreated());
        deliver(deleted.containerStarted());
        deliver(deleted.containerStopped());
        deliver(deleted.containerDeleted());

        deliver(grace.sessionStarted(log.now()));
        deliver(grace.containerCreated());
        deliver(grace.containerStarted());
        deliver(grace.containerExposed(49160, "http://127.0.0.1:49160"));
        deliver(grace.message(1, MessageRole.USER, "a shop"));
        deliver(grace.message(2, MessageRole.ASSISTANT, "with a cart?"));

        deliver(createdWithoutProject.sessionStarted(log.now()));
        deliver(createdWithoutProject.containerCreated());

        deliver(ada.chatSessionStarted("questions"));
        deliver(ada.chatMessage(UUID.randomUUID(), 1, MessageRole.USER, "not in any container"));

        // Projects, created in this order (their updated_at ascending as inserted).
        deliver(running.projectCreated(todo, "todo", true));
        deliver(created.projectCreated(blog, "blog", true));
        deliver(ada.projectCreated(notes, "notes", false));
        deliver(grace.projectCreated(shop, "shop", true));
        deliver(stopped.projectCreated(legacy, "legacy", true));
        deliver(running.projectCreated(todoDocs, "todo-docs", true));
        // Updated last, so updated_at is the trigger's now(): legacy's, then notes', after every event time.
        deliver(ada.projectArchived(notes));
        deliver(ada.projectDeleted(legacy));
    }

    @Test
    void active_containers_are_the_created_and_running_ones_with_their_projects_and_users_newest_first() {
        List<Map<String, Object>> rows = tables.rows("SELECT * FROM builder.active_containers");

        List<String> columns = new ArrayList<>(CONTAINER_COLUMNS);
        columns.addAll(List.of("project_name", "project_description", "user_email"));
        assertThat(rows).allSatisfy(row -> assertThat(row.keySet()).containsExactlyElementsOf(columns));
        assertThat(rows).extracting(row -> row.get("status")).allMatch(status -> status.equals("running")
                || status.equals("created"));

        // Newest container first; the running session's container once per project (LEFT JOIN), in either order.
        assertThat(rows).extracting(row -> row.get("id")).containsExactly(createdWithoutProject.sessionId,
                grace.sessionId, running.sessionId, running.sessionId, created.sessionId);
        assertThat(rows.get(0)).isEqualTo(container(createdWithoutProject, null, null, ada.email));
        assertThat(rows.get(1)).isEqualTo(container(grace, "shop", "the shop app", grace.email));
        assertThat(rows.subList(2, 4)).containsExactlyInAnyOrder(
                container(running, "todo", "the todo app", ada.email),
                container(running, "todo-docs", "the todo-docs app", ada.email));
        assertThat(rows.get(4)).isEqualTo(container(created, "blog", "the blog app", ada.email));
        assertThat(rows.get(1)).containsEntry("status", "running").containsEntry("assigned_port", 49160)
                .containsEntry("url", "http://127.0.0.1:49160");
        assertThat(rows.get(4)).containsEntry("status", "created").containsEntry("assigned_port", null);

        // The stopped, failed (stopped) and deleted containers are there, just not active.
        assertThat(tables.rows("SELECT id, status FROM builder.containers WHERE status NOT IN ('running', 'created')"))
                .containsExactlyInAnyOrder(
                        Map.of("id", stopped.sessionId, "status", "stopped"),
                        Map.of("id", failed.sessionId, "status", "stopped"),
                        Map.of("id", deleted.sessionId, "status", "deleted"));
    }

    @Test
    void user_projects_are_every_project_with_its_containers_state_and_message_count_latest_updated_first() {
        List<Map<String, Object>> rows = tables.rows("SELECT * FROM builder.user_projects");

        List<String> columns = new ArrayList<>(PROJECT_COLUMNS);
        columns.addAll(List.of("container_status", "assigned_port", "url", "message_count"));
        assertThat(rows).allSatisfy(row -> assertThat(row.keySet()).containsExactlyElementsOf(columns));

        // Every status (no filter), ORDER BY updated_at DESC: the two updated by the trigger, then by creation.
        assertThat(rows).extracting(row -> row.get("id"))
                .containsExactly(legacy, notes, todoDocs, shop, blog, todo);
        assertThat(rows).extracting(row -> row.get("updated_at")).isSortedAccordingTo(
                (a, b) -> ((Instant) b).compareTo((Instant) a));
        assertThat(rows).extracting(row -> List.of(row.get("name"), row.get("status"),
                        nullable(row.get("container_status")), nullable(row.get("assigned_port")),
                        nullable(row.get("url")), row.get("message_count")))
                .containsExactly(
                        List.of("legacy", "deleted", "stopped", "-", "-", 1L),
                        List.of("notes", "archived", "-", "-", "-", 0L),
                        List.of("todo-docs", "active", "running", 49153, "http://127.0.0.1:49153", 3L),
                        List.of("shop", "active", "running", 49160, "http://127.0.0.1:49160", 2L),
                        List.of("blog", "active", "created", "-", "-", 1L),
                        List.of("todo", "active", "running", 49153, "http://127.0.0.1:49153", 3L));

        // p.* is the projects row itself.
        Map<String, Object> todoRow = rows.getLast();
        Map<String, Object> project = tables.row("projects", todo);
        assertThat(todoRow).containsAllEntriesOf(project);
        assertThat(project).containsEntry("container_id", running.sessionId).containsEntry("user_id", ada.userId);
        assertThat(tables.rows("SELECT count(*) AS n FROM builder.chat_messages WHERE container_id IS NULL"))
                .as("the chat-only message, counted for no project").containsExactly(Map.of("n", 1L));
    }

    /** An active_containers row: the container's row, its project's name and description, its user's email. */
    private Map<String, Object> container(BuilderStory session, String projectName, String projectDescription,
                                          String email) {
        Map<String, Object> row = new LinkedHashMap<>(tables.row("containers", session.sessionId));
        assertThat(row).as("container of %s", session.sessionId).containsEntry("user_id", session.userId);
        row.put("project_name", projectName);
        row.put("project_description", projectDescription);
        row.put("user_email", email);
        return row;
    }

    private static Object nullable(Object value) {
        return value == null ? "-" : value;
    }

    private void deliver(TranscriptEvent event) {
        Published published = log.append(event);
        batches.apply(projector, List.of(published.consumerRecord()));
        Long position = jdbc.query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = 'builder' AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, published.key());
        assertThat(position).as("applied: %s", published.type()).isEqualTo(published.sequence());
    }
}
