package dev.transcript.command.conversation;

import dev.transcript.command.Commands;
import dev.transcript.events.EventContract;
import dev.transcript.events.session.MessageRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.UUID;

@RestController
@RequestMapping("/api/sessions/{sessionId}")
public class ConversationController {

    /**
     * The schema's limit on content: larger payloads belong in the sandbox's files, not the event stream. The
     * whole event must also fit {@link EventContract#MAX_ENCODED_BYTES}, which the append-time check enforces.
     */
    static final int MAX_CONTENT = 900_000;
    /** The schema's limit on tool calls. */
    static final int MAX_TOOL_CALLS = 128;
    /** Attachments are references (a name, a file id, a URL), not the files themselves. */
    static final int MAX_ATTACHMENTS = 50;

    private final Commands commands;

    ConversationController(Commands commands) {
        this.commands = commands;
    }

    /** attachments and metadata may be left out (none); toolCalls and model may be null. */
    record PostMessageRequest(@NotNull MessageRole role, @NotNull @Size(max = MAX_CONTENT) String content,
                              @NotNull @Min(0) @Max(1_000_000_000) Integer tokensUsed,
                              @Size(max = MAX_ATTACHMENTS) List<@NotNull Map<String, Object>> attachments,
                              @Size(max = EventContract.MAX_PROPERTIES) Map<String, Object> metadata,
                              @Size(max = MAX_TOOL_CALLS) List<@NotNull Map<String, Object>> toolCalls,
                              @Size(min = 1, max = 100) String model) {

        PostMessageRequest {
            attachments = attachments == null ? List.of() : attachments;
            metadata = metadata == null ? Map.of() : metadata;
        }
    }

    /** The title as it will be stored: without surrounding blanks (then 1 to 255 characters). */
    record TitleRequest(@NotBlank @Size(max = 255) String title) {

        TitleRequest {
            title = title == null ? null : title.strip();
        }
    }

    @PostMapping("/messages")
    ResponseEntity<PostedMessage> post(@PathVariable UUID sessionId, @Valid @RequestBody PostMessageRequest request) {
        PostedMessage posted = commands.send(new PostMessage(sessionId, request.role(), request.content(),
                request.tokensUsed(), request.attachments(), request.metadata(), request.toolCalls(), request.model()));
        return ResponseEntity.status(HttpStatus.CREATED).body(posted);
    }

    @PutMapping("/title")
    ResponseEntity<Void> title(@PathVariable UUID sessionId, @Valid @RequestBody TitleRequest request) {
        commands.send(new TitleConversation(sessionId, request.title()));
        return ResponseEntity.ok().build();
    }
}
