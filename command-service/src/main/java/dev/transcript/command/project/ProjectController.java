package dev.transcript.command.project;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import dev.transcript.events.EventContract;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
@RequestMapping("/api/projects")
public class ProjectController {

    /** The documented default project type. */
    static final String DEFAULT_TYPE = "nextjs";
    private static final String NOT_BLANK = "(?s).*\\S.*";

    private final Commands commands;

    ProjectController(Commands commands) {
        this.commands = commands;
    }

    /** Settings and metadata are free-form JSON objects; left out, they are empty. */
    record CreateProjectRequest(@NotNull UUID userId,
                                @NotBlank @Size(max = 255) String name,
                                @Size(max = 10_000) String description,
                                @Size(max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String type,
                                @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> settings,
                                @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> metadata,
                                UUID sessionId) {
    }

    /** Every field is replaced: one left out gets its default, as at creation. */
    record UpdateProjectRequest(@NotBlank @Size(max = 255) String name,
                                @Size(max = 10_000) String description,
                                @Size(max = 100) @Pattern(regexp = NOT_BLANK, message = "must not be blank") String type,
                                @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> settings,
                                @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> metadata) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> create(@Valid @RequestBody CreateProjectRequest request) {
        UUID projectId = commands.send(new CreateProject(Ids.next(), request.userId(), request.name().strip(),
                request.description(), typeOf(request.type()), objectOf(request.settings()),
                objectOf(request.metadata()), request.sessionId()));
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("id", projectId));
    }

    @PutMapping("/{id}")
    ResponseEntity<Void> update(@PathVariable UUID id, @Valid @RequestBody UpdateProjectRequest request) {
        commands.send(new UpdateProject(id, request.name().strip(), request.description(), typeOf(request.type()),
                objectOf(request.settings()), objectOf(request.metadata())));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/archive")
    ResponseEntity<Void> archive(@PathVariable UUID id) {
        commands.send(new ArchiveProject(id));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        commands.send(new DeleteProject(id));
        return ResponseEntity.ok().build();
    }

    private static String typeOf(String requested) {
        return requested == null ? DEFAULT_TYPE : requested.strip();
    }

    private static Map<String, Object> objectOf(Map<String, Object> requested) {
        return requested == null ? Map.of() : requested;
    }
}
