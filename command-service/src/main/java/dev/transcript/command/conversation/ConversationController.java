package dev.transcript.command.conversation;

import dev.transcript.command.Commands;
import dev.transcript.events.session.MessageRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

@RestController
@RequestMapping("/api/sessions/{sessionId}/messages")
public class ConversationController {

    /** 1 MiB of text per message: larger payloads belong in the sandbox's files, not the event stream. */
    static final int MAX_CONTENT = 1_048_576;

    private final Commands commands;

    ConversationController(Commands commands) {
        this.commands = commands;
    }

    record PostMessageRequest(@NotNull MessageRole role, @NotNull @Size(max = MAX_CONTENT) String content,
                              @NotNull @Min(0) @Max(1_000_000_000) Integer tokensUsed) {
    }

    @PostMapping
    ResponseEntity<PostedMessage> post(@PathVariable UUID sessionId, @Valid @RequestBody PostMessageRequest request) {
        PostedMessage posted = commands.send(
                new PostMessage(sessionId, request.role(), request.content(), request.tokensUsed()));
        return ResponseEntity.status(HttpStatus.CREATED).body(posted);
    }
}
