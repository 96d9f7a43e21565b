package dev.transcript.command.session;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import dev.transcript.command.InvalidField;
import dev.transcript.events.EventContract;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/sessions")
public class SessionController {

    /** A week: sandboxes are short-lived; a longer life is reached by extending. */
    static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    private final Commands commands;

    SessionController(Commands commands) {
        this.commands = commands;
    }

    record StartSessionRequest(@NotNull UUID userId, @NotNull @Min(1) @Max(MAX_TTL_SECONDS) Long ttlSeconds) {
    }

    record CreateContainerRequest(@NotBlank @Size(max = 255) String containerId,
                                  @NotBlank @Size(max = 255) String containerName,
                                  @NotBlank @Size(max = 255) String image,
                                  @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("1024")
                                  @Digits(integer = 4, fraction = 2) BigDecimal cpuLimit,
                                  @NotNull @Min(1) @Max(1_048_576) Integer memoryLimitMb) {
    }

    record FailContainerRequest(@NotBlank @Size(max = 2000) String reason) {
    }

    record ExposeContainerRequest(@NotNull @Min(1) @Max(65_535) Integer port,
                                  @NotNull @Size(max = 2000) String url) {
    }

    /** Both replace what the container had; either left out means none. */
    record LabelContainerRequest(@Size(max = EventContract.MAX_PROPERTIES)
                                 Map<@Size(max = 255) String, @NotNull @Size(max = 1000) String> labels,
                                 @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> metadata) {

        LabelContainerRequest {
            labels = labels == null ? Map.of() : labels;
            metadata = metadata == null ? Map.of() : metadata;
        }
    }

    record ExtendSessionRequest(@NotNull @Min(1) @Max(MAX_TTL_SECONDS) Long ttlSeconds) {
    }

    @PostMapping
    ResponseEntity<StartedSession> start(@Valid @RequestBody StartSessionRequest request) {
        StartedSession started = commands.send(
                new StartSession(Ids.next(), request.userId(), Ids.next(), request.ttlSeconds()));
        return ResponseEntity.status(HttpStatus.CREATED).body(started);
    }

    @PostMapping("/{id}/container")
    ResponseEntity<Void> createContainer(@PathVariable UUID id, @Valid @RequestBody CreateContainerRequest request) {
        commands.send(new CreateContainer(id, request.containerId(), request.containerName(), request.image(),
                request.cpuLimit(), request.memoryLimitMb()));
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @PostMapping("/{id}/container/started")
    ResponseEntity<Void> containerStarted(@PathVariable UUID id) {
        commands.send(new MarkContainerStarted(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/container/stopped")
    ResponseEntity<Void> containerStopped(@PathVariable UUID id) {
        commands.send(new MarkContainerStopped(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/container/failed")
    ResponseEntity<Void> containerFailed(@PathVariable UUID id, @Valid @RequestBody FailContainerRequest request) {
        commands.send(new MarkContainerFailed(id, request.reason()));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/container/exposed")
    ResponseEntity<Void> containerExposed(@PathVariable UUID id, @Valid @RequestBody ExposeContainerRequest request) {
        requireHttpUrl("url", request.url());
        commands.send(new ExposeContainer(id, request.port(), request.url()));
        return ResponseEntity.ok().build();
    }

    @PutMapping("/{id}/container/labels")
    ResponseEntity<Void> labelContainer(@PathVariable UUID id, @Valid @RequestBody LabelContainerRequest request) {
        commands.send(new LabelContainer(id, request.labels(), request.metadata()));
        return ResponseEntity.ok().build();
    }

    @DeleteMapping("/{id}/container")
    ResponseEntity<Void> deleteContainer(@PathVariable UUID id) {
        commands.send(new DeleteContainer(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/stop")
    ResponseEntity<Void> stop(@PathVariable UUID id) {
        commands.send(new StopSession(id));
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{id}/extend")
    ResponseEntity<Void> extend(@PathVariable UUID id, @Valid @RequestBody ExtendSessionRequest request) {
        commands.send(new ExtendSession(id, request.ttlSeconds()));
        return ResponseEntity.ok().build();
    }

    /** An absolute http or https URL with a host, as the event's JSON Schema ({@code format: uri}) wants it. */
    private static void requireHttpUrl(String field, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new InvalidField(field, "must be an absolute http or https URL");
    }
}
