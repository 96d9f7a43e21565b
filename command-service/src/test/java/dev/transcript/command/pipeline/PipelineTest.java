package dev.transcript.command.pipeline;

import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.command.support.FixtureClock;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;

/**
 * The pipeline run, given-when-then. "Now" is the fixture's simulated time (plus a skew, for a node whose
 * clock is behind), and a given event is recorded at the simulated time it was given at, so durations are
 * exact.
 */
class PipelineTest {

    private static final UUID EXECUTION_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000801");
    private static final UUID USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000901");
    private static final UUID UNKNOWN_USER_ID = UUID.fromString("0195a0d2-4c1e-7b3a-9f00-000000000902");

    private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
    private static final String NAME = "summarise-repository";
    private static final Map<String, Object> INPUT = Map.of("repository", "transcript", "depth", 2);
    private static final Map<String, Object> OUTPUT = Map.of("summary", "an event-sourced backend", "files", 212);
    private static final String ERROR = "model gpt-4o timed out after 3 retries";

    private static final PipelineStarted STARTED = new PipelineStarted(EXECUTION_ID, USER_ID, NAME, INPUT);
    private static final PipelineCompleted COMPLETED = new PipelineCompleted(EXECUTION_ID, OUTPUT, 1_500);
    private static final PipelineFailed FAILED = new PipelineFailed(EXECUTION_ID, ERROR, 1_500);

    private final AggregateTestFixture<PipelineExecution> fixture = new AggregateTestFixture<>(PipelineExecution.class);
    /** How far this node's clock is from the fixture's simulated time. */
    private Duration skew = Duration.ZERO;

    @BeforeEach
    void registerResources() {
        fixture.registerInjectableResource(new InMemoryKnownUsers().register(USER_ID));
        fixture.registerInjectableResource(new FixtureClock(() -> fixture.currentTime().plus(skew)));
        fixture.givenCurrentTime(START);
    }

    // --- start ------------------------------------------------------------------------------------------------

    @Test
    void a_run_is_started_for_a_known_user() {
        fixture.givenNoPriorActivity()
               .when(new StartPipeline(EXECUTION_ID, USER_ID, NAME, INPUT))
               .expectSuccessfulHandlerExecution()
               .expectEvents(STARTED)
               .expectResultMessagePayload(EXECUTION_ID);
    }

    @Test
    void a_run_without_input_starts_with_an_empty_object() {
        fixture.givenNoPriorActivity()
               .when(new StartPipeline(EXECUTION_ID, USER_ID, NAME, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new PipelineStarted(EXECUTION_ID, USER_ID, NAME, Map.of()));
    }

    @Test
    void a_run_for_an_unknown_user_is_refused() {
        fixture.givenNoPriorActivity()
               .when(new StartPipeline(EXECUTION_ID, UNKNOWN_USER_ID, NAME, INPUT))
               .expectNoEvents()
               .expectException(NotFound.class)
               .expectExceptionMessage(containsString("user " + UNKNOWN_USER_ID + " does not exist"));
    }

    // --- complete and fail ------------------------------------------------------------------------------------

    @Test
    void a_running_run_completes_with_the_time_since_its_start() {
        fixture.given(STARTED)
               .andGivenCurrentTime(START.plusMillis(1_500))
               .when(new CompletePipeline(EXECUTION_ID, OUTPUT))
               .expectSuccessfulHandlerExecution()
               .expectEvents(COMPLETED);
    }

    @Test
    void a_run_completed_without_output_has_an_empty_object() {
        fixture.given(STARTED)
               .andGivenCurrentTime(START.plusSeconds(90))
               .when(new CompletePipeline(EXECUTION_ID, null))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new PipelineCompleted(EXECUTION_ID, Map.of(), 90_000));
    }

    @Test
    void a_running_run_fails_with_the_time_since_its_start() {
        fixture.given(STARTED)
               .andGivenCurrentTime(START.plusMillis(1_500))
               .when(new FailPipeline(EXECUTION_ID, ERROR))
               .expectSuccessfulHandlerExecution()
               .expectEvents(FAILED);
    }

    @Test
    void the_duration_runs_from_the_time_the_start_was_recorded() {
        fixture.givenCommands(new StartPipeline(EXECUTION_ID, USER_ID, NAME, INPUT))
               .andGivenCurrentTime(START.plus(Duration.ofMinutes(2).plusMillis(7)))
               .when(new CompletePipeline(EXECUTION_ID, OUTPUT))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new PipelineCompleted(EXECUTION_ID, OUTPUT, 120_007));
    }

    @Test
    void a_run_ended_at_the_instant_it_started_took_zero_milliseconds() {
        fixture.given(STARTED)
               .when(new FailPipeline(EXECUTION_ID, ERROR))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new PipelineFailed(EXECUTION_ID, ERROR, 0));
    }

    @Test
    void a_clock_behind_the_start_gives_zero_never_a_negative_duration() {
        skew = Duration.ofSeconds(-5);

        fixture.given(STARTED)
               .andGivenCurrentTime(START.plusSeconds(2))
               .when(new CompletePipeline(EXECUTION_ID, OUTPUT))
               .expectSuccessfulHandlerExecution()
               .expectEvents(new PipelineCompleted(EXECUTION_ID, OUTPUT, 0));
    }

    @Test
    void an_unknown_run_cannot_end() {
        fixture.givenNoPriorActivity()
               .when(new CompletePipeline(EXECUTION_ID, OUTPUT))
               .expectNoEvents()
               .expectException(AggregateNotFoundException.class);
    }

    static List<Object> endings() {
        return List.of(new CompletePipeline(EXECUTION_ID, OUTPUT), new FailPipeline(EXECUTION_ID, ERROR));
    }

    @ParameterizedTest
    @MethodSource("endings")
    void a_completed_run_is_not_running(Object ending) {
        fixture.given(STARTED, COMPLETED)
               .when(ending)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("pipeline run " + EXECUTION_ID + " is not running: it completed"));
    }

    @ParameterizedTest
    @MethodSource("endings")
    void a_failed_run_is_not_running(Object ending) {
        fixture.given(STARTED, FAILED)
               .when(ending)
               .expectNoEvents()
               .expectException(Conflict.class)
               .expectExceptionMessage(containsString("pipeline run " + EXECUTION_ID + " is not running: it failed"));
    }
}
