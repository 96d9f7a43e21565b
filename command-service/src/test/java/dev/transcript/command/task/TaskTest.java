package dev.transcript.command.task;

import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.task.TaskCompleted;
import dev.transcript.events.task.TaskCreated;
import dev.transcript.events.task.TaskDeleted;
import dev.transcript.events.task.TaskDescribed;
import dev.transcript.events.task.TaskRenamed;
import dev.transcript.events.task.TaskReopened;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;

class TaskTest {

    private static final UUID TASK_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000401");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000501");
    private static final UUID UNKNOWN_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000502");

    private static final String TITLE = "Buy milk";
    private static final String DESCRIPTION = "Oat, two litres";

    private static final TaskCreated CREATED = new TaskCreated(TASK_ID, USER_ID, TITLE, DESCRIPTION);
    private static final TaskCompleted COMPLETED = new TaskCompleted(TASK_ID);
    private static final TaskDeleted DELETED = new TaskDeleted(TASK_ID);

    private final AggregateTestFixture<Task> fixture = new AggregateTestFixture<>(Task.class);

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(new InMemoryKnownUsers().register(USER_ID));
    }

    // --- create -----------------------------------------------------------------------------------------------

    @Test
    void a_task_is_created_open_for_a_known_user() {
        fixture.givenNoPriorActivity()
               .when(new CreateTask(TASK_ID, USER_ID, TITLE, DESCRIPTION))
               .expectSuccessfulHandlerExecution()
               .expectEvents(CREATED);
    }

    @Test
    void a_task_for_an_unknown_user_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new CreateTask(TASK_ID, UNKNOWN_USER_ID, TITLE, null))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("user " + UNKNOWN_USER_ID + " does not exist"));
    }

    @Test
    void an_unknown_task_cannot_be_changed() {
        fixture.givenNoPriorActivity()
               .when(new CompleteTask(TASK_ID))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    // --- title and description --------------------------------------------------------------------------------

    @Test
    void a_new_title_is_recorded() {
        fixture.given(CREATED)
               .when(new RenameTask(TASK_ID, "Buy oat milk"))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TaskRenamed(TASK_ID, "Buy oat milk"));
    }

    @Test
    void the_title_the_task_has_is_accepted_and_records_nothing() {
        fixture.given(CREATED, new TaskRenamed(TASK_ID, "Buy oat milk"))
               .when(new RenameTask(TASK_ID, "Buy oat milk"))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    @Test
    void a_new_description_is_recorded() {
        fixture.given(CREATED)
               .when(new DescribeTask(TASK_ID, "Soy will do"))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TaskDescribed(TASK_ID, "Soy will do"));
    }

    @Test
    void a_null_description_clears_it() {
        fixture.given(CREATED)
               .when(new DescribeTask(TASK_ID, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TaskDescribed(TASK_ID, null));
    }

    @Test
    void the_description_the_task_has_is_accepted_and_records_nothing() {
        fixture.given(new TaskCreated(TASK_ID, USER_ID, TITLE, null))
               .when(new DescribeTask(TASK_ID, null))
               .expectSuccessfulHandlerExecution()
               .expectNoEvents();
    }

    // --- complete and reopen ----------------------------------------------------------------------------------

    @Test
    void an_open_task_is_completed() {
        fixture.given(CREATED)
               .when(new CompleteTask(TASK_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(COMPLETED);
    }

    @Test
    void a_completed_task_cannot_be_completed_again() {
        fixture.given(CREATED, COMPLETED)
               .when(new CompleteTask(TASK_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("task " + TASK_ID + " is completed already"));
    }

    @Test
    void a_completed_task_is_reopened() {
        fixture.given(CREATED, COMPLETED)
               .when(new ReopenTask(TASK_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new TaskReopened(TASK_ID));
    }

    @Test
    void an_open_task_cannot_be_reopened() {
        fixture.given(CREATED, COMPLETED, new TaskReopened(TASK_ID))
               .when(new ReopenTask(TASK_ID))
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("task " + TASK_ID + " is open"));
    }

    // --- delete -----------------------------------------------------------------------------------------------

    @Test
    void an_open_task_is_deleted() {
        fixture.given(CREATED)
               .when(new DeleteTask(TASK_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DELETED);
    }

    @Test
    void a_completed_task_is_deleted() {
        fixture.given(CREATED, COMPLETED)
               .when(new DeleteTask(TASK_ID))
               .expectSuccessfulHandlerExecution()
               .expectEvents(DELETED);
    }

    static List<Object> everyCommand() {
        return List.of(new RenameTask(TASK_ID, TITLE), new RenameTask(TASK_ID, "Another title"),
                new DescribeTask(TASK_ID, DESCRIPTION), new CompleteTask(TASK_ID), new ReopenTask(TASK_ID),
                new DeleteTask(TASK_ID));
    }

    /** Even a command that would change nothing: the task is gone. */
    @ParameterizedTest
    @MethodSource("everyCommand")
    void a_deleted_task_refuses_every_command(Object command) {
        fixture.given(CREATED, DELETED)
               .when(command)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("task " + TASK_ID + " was deleted"));
    }
}
