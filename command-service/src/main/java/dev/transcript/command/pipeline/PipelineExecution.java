package dev.transcript.command.pipeline;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import dev.transcript.command.Conflict;
import dev.transcript.command.NotFound;
import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One run of a pipeline: started, then completed or failed, once. Its duration is measured on the command
 * side, from the time its PipelineStarted was recorded to the command that ends it, so the workers that run
 * pipelines need not agree on a clock.
 */
@Aggregate
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE)
class PipelineExecution {

    private enum Status { RUNNING, COMPLETED, FAILED }

    @AggregateIdentifier
    private UUID executionId;
    /** The timestamp of the PipelineStarted event, as the event store keeps it. */
    private Instant startedAt;
    private Status status;

    PipelineExecution() {
        // Axon rebuilds the aggregate from its events.
    }

    @CommandHandler
    PipelineExecution(StartPipeline command, KnownUsers users) {
        if (!users.exists(command.userId())) {
            throw new NotFound("user " + command.userId() + " does not exist");
        }
        apply(new PipelineStarted(command.executionId(), command.userId(), command.pipelineName(),
                command.input() == null ? Map.of() : command.input()));
    }

    @CommandHandler
    void handle(CompletePipeline command, Clock clock) {
        requireRunning();
        apply(new PipelineCompleted(executionId, command.output() == null ? Map.of() : command.output(),
                millisSinceStart(clock)));
    }

    @CommandHandler
    void handle(FailPipeline command, Clock clock) {
        requireRunning();
        apply(new PipelineFailed(executionId, command.errorMessage(), millisSinceStart(clock)));
    }

    private void requireRunning() {
        if (status != Status.RUNNING) {
            throw new Conflict("pipeline run " + executionId + " is not running: it "
                    + status.name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Never negative: a node whose clock is behind the one that recorded the start (or a start recorded a
     * moment "in the future") gives 0, not a duration the read models would have to reject.
     */
    private long millisSinceStart(Clock clock) {
        return Math.max(0, Duration.between(startedAt, clock.instant()).toMillis());
    }

    @EventSourcingHandler
    void on(PipelineStarted event, @Timestamp Instant recordedAt) {
        executionId = event.executionId();
        startedAt = recordedAt;
        status = Status.RUNNING;
    }

    @EventSourcingHandler
    void on(PipelineCompleted event) {
        status = Status.COMPLETED;
    }

    @EventSourcingHandler
    void on(PipelineFailed event) {
        status = Status.FAILED;
    }
}
