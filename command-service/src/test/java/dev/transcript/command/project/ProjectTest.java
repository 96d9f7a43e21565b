package dev.transcript.command.project;

import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.project.ProjectArchived;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectDeleted;
import dev.transcript.events.project.ProjectUpdated;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;

class ProjectTest {

    private static final UUID PROJECT_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000101");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000201");
    private static final UUID UNKNOWN_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000202");
    private static final UUID SESSION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000301");
    private static final UUID SESSION_WITHOUT_CONTAINER = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000302");

    private static final Map<String, Object> SETTINGS = Map.of("framework", Map.of("version", 15), "ssr", true);
    private static final Map<String, Object> METADATA = Map.of("tags", List.of("demo", "todo"));

    private static final CreateProject CREATE = new CreateProject(PROJECT_ID, USER_ID, "Todo app", "A to-do list",
            "nextjs", SETTINGS, METADATA, SESSION_ID);
    private static final ProjectCreated CREATED = new ProjectCreated(PROJECT_ID, USER_ID, "Todo app", "A to-do list",
            "nextjs", SETTINGS, METADATA, SESSION_ID);
    private static final UpdateProject UPDATE = new UpdateProject(PROJECT_ID, "Todo app 2", null, "vite",
            Map.of(), Map.of("stage", "beta"));
    private static final ProjectArchived ARCHIVED = new ProjectArchived(PROJECT_ID);
    private static final ProjectDeleted DELETED = new ProjectDeleted(PROJECT_ID);

    private final AggregateTestFixture<Project> fixture = new AggregateTestFixture<>(Project.class);
    private final InMemoryProjectRules rules = new InMemoryProjectRules().register(USER_ID).containerFor(SESSION_ID);

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(rules);
    }

    // --- create -----------------------------------------------------------------------------------------------

    @Test
    void a_project_is_created_for_a_known_user_in_a_session_with_a_container() {
        fixture.givenNoPriorActivity()
               .when(CREATE)
               .expectSuccessfulHandlerExecution()
               .expectEvents(CREATED);
    }

    @Test
    void a_project_needs_no_session() {
        ProjectCreated created = new ProjectCreated(PROJECT_ID, USER_ID, "Todo app", null, "nextjs", Map.of(), Map.of(),
                null);

        fixture.givenNoPriorActivity()
               .when(new CreateProject(PROJECT_ID, USER_ID, "Todo app", null, "nextjs", Map.of(), Map.of(), null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(created);
    }

    @Test
    void a_project_for_an_unknown_user_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new CreateProject(PROJECT_ID, UNKNOWN_USER_ID, "Todo app", null, "nextjs", Map.of(), Map.of(),
                       null))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("user " + UNKNOWN_USER_ID + " does not exist"));
    }

    @Test
    void a_project_in_a_session_without_a_container_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new CreateProject(PROJECT_ID, USER_ID, "Todo app", null, "nextjs", Map.of(), Map.of(),
                       SESSION_WITHOUT_CONTAINER))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("session " + SESSION_WITHOUT_CONTAINER + " has no container"));
    }

    // --- update -----------------------------------------------------------------------------------------------

    @Test
    void an_update_replaces_every_field() {
        fixture.given(CREATED)
               .when(UPDATE)
               .expectSuccessfulHandlerExecution()
               .expectEvents(new ProjectUpdated(PROJECT_ID, "Todo app 2", null, "vite", Map.of(), Map.of("stage", "beta")));
    }

    @Test
    void an_archived_project_cannot_be_updated() {
        fixture.given(CREATED, ARCHIVED)
               .when(UPDATE)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("project " + PROJECT_ID + " is archived"));
    }

    @Test
    void a_deleted_project_cannot_be_updated() {
        fixture.given(CREATED, DELETED)
               .when(UPDATE)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("project " + PROJECT_ID + " is deleted"));
    }

    @Test
    void an_unknown_project_cannot_be_updated() {
        fixture.givenNoPriorActivity()
               .when(UPDATE)
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    // --- archive ----------------------------------------------------------------------------------------------

    @Test
    void an_active_project_is_archived() {
        fixture.given(CREATED)
               .when(new ArchiveProject(PROJECT_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(ARCHIVED);
    }

    @Test
    void an_archived_project_cannot_be_archived_again() {
        fixture.given(CREATED, ARCHIVED)
               .when(new ArchiveProject(PROJECT_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is archived"));
    }

    @Test
    void a_deleted_project_cannot_be_archived() {
        fixture.given(CREATED, DELETED)
               .when(new ArchiveProject(PROJECT_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("is deleted"));
    }

    // --- delete -----------------------------------------------------------------------------------------------

    @Test
    void an_active_project_is_deleted() {
        fixture.given(CREATED)
               .when(new DeleteProject(PROJECT_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DELETED);
    }

    @Test
    void an_archived_project_is_deleted() {
        fixture.given(CREATED, ARCHIVED)
               .when(new DeleteProject(PROJECT_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DELETED);
    }

    @Test
    void a_deleted_project_cannot_be_deleted_again() {
        fixture.given(CREATED, ARCHIVED, DELETED)
               .when(new DeleteProject(PROJECT_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("project " + PROJECT_ID + " is deleted"));
    }
}
