package dev.transcript.command.pipeline;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import dev.transcript.events.EventContract;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/pipelines")
public class PipelineController {

    static final int MAX_NAME = 100;
    static final int MAX_ERROR = 10_000;

    private final Commands commands;

    PipelineController(Commands commands) {
        this.commands = commands;
    }

    /** The name as it will be stored: without surrounding blanks (then 1 to 100 characters); input {} when left out. */
    record StartPipelineRequest(@NotNull UUID userId, @NotBlank @Size(max = MAX_NAME) String pipelineName,
                                @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> input) {

        StartPipelineRequest {
            pipelineName = pipelineName == null ? null : pipelineName.strip();
        }
    }

    /** Output {} when left out, or when there is no body at all. */
    record CompletePipelineRequest(@Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> output) {
    }

    /** Kept as reported, blanks and all (a stack trace's indentation is part of it); all blank says nothing. */
    record FailPipelineRequest(@NotBlank @Size(max = MAX_ERROR) String errorMessage) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> start(@Valid @RequestBody StartPipelineRequest request) {
        UUID executionId = commands.send(new StartPipeline(Ids.next(), request.userId(), request.pipelineName(),
                request.input() == null ? Map.of() : request.input()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", executionId));
    }

    @PostMapping("/{id}/complete")
    ResponseEntity<Void> complete(@PathVariable UUID id,
                                  @RequestBody(required = false) CompletePipelineRequest request) {
        Map<String, Object> output = request == null || request.output() == null ? Map.of() : request.output();
        commands.send(new CompletePipeline(id, output));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/fail")
    ResponseEntity<Void> fail(@PathVariable UUID id, @Valid @RequestBody FailPipelineRequest request) {
        commands.send(new FailPipeline(id, request.errorMessage()));
        return ResponseEntity.ok().build();
    }
}
