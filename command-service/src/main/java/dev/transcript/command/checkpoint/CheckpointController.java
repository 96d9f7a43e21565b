package dev.transcript.command.checkpoint;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/sessions/{sessionId}/checkpoints")
public class CheckpointController {

    private final Commands commands;

    CheckpointController(Commands commands) {
        this.commands = commands;
    }

    record CreateCheckpointRequest(@NotNull @Pattern(regexp = "[0-9a-fA-F]{7,40}", message = "must be 7 to 40 hex digits")
                                   String commitHash,
                                   @NotNull @Min(1) Integer messageNumber,
                                   @Size(max = 2000) String description,
                                   @NotNull @Min(0) @Max(1_000_000) Integer filesChanged) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> create(@PathVariable UUID sessionId,
                                             @Valid @RequestBody CreateCheckpointRequest request) {
        // Git prints hashes in lower case; one spelling keeps the read model's hash index useful.
        UUID checkpointId = commands.send(new CreateCheckpoint(sessionId, Ids.next(),
                request.commitHash().toLowerCase(Locale.ROOT), request.messageNumber(), request.description(),
                request.filesChanged()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("checkpointId", checkpointId));
    }
}
