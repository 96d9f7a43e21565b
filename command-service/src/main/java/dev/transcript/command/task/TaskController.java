package dev.transcript.command.task;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/tasks")
public class TaskController {

    static final int MAX_TITLE = 255;
    static final int MAX_DESCRIPTION = 10_000;

    private final Commands commands;

    TaskController(Commands commands) {
        this.commands = commands;
    }

    record CreateTaskRequest(@NotNull UUID userId, @NotBlank @Size(max = MAX_TITLE) String title,
                             @Size(max = MAX_DESCRIPTION) String description) {
    }

    record RenameTaskRequest(@NotBlank @Size(max = MAX_TITLE) String title) {
    }

    /** A null or missing description clears it. */
    record DescribeTaskRequest(@Size(max = MAX_DESCRIPTION) String description) {
    }

    /** Titles are stripped, so that "Buy milk " and "Buy milk" are one title. */
    @PostMapping
    ResponseEntity<Map<String, UUID>> create(@Valid @RequestBody CreateTaskRequest request) {
        UUID taskId = commands.send(new CreateTask(Ids.next(), request.userId(), request.title().strip(),
                request.description()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", taskId));
    }

    @PutMapping("/{id}/title")
    ResponseEntity<Void> rename(@PathVariable UUID id, @Valid @RequestBody RenameTaskRequest request) {
        commands.send(new RenameTask(id, request.title().strip()));
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/description")
    ResponseEntity<Void> describe(@PathVariable UUID id, @Valid @RequestBody DescribeTaskRequest request) {
        commands.send(new DescribeTask(id, request.description()));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/complete")
    ResponseEntity<Void> complete(@PathVariable UUID id) {
        commands.send(new CompleteTask(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/reopen")
    ResponseEntity<Void> reopen(@PathVariable UUID id) {
        commands.send(new ReopenTask(id));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        commands.send(new DeleteTask(id));
        return ResponseEntity.ok().build();
    }
}
