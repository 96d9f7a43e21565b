package dev.transcript.command.chat;

import dev.transcript.command.Commands;
import dev.transcript.command.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * Chatbot conversations (threads without a sandbox). Each is a session with no container and no time
 * limit, so everything else — messages, titles, token usage, stop — goes through the session endpoints.
 */
@RestController
@RequestMapping("/api/chat-sessions")
public class ChatSessionController {

    private final Commands commands;

    ChatSessionController(Commands commands) {
        this.commands = commands;
    }

    /** The title is optional; given, it is stored without surrounding blanks, 1 to 255 characters. */
    record StartChatSessionRequest(@NotNull UUID userId, @Size(min = 1, max = 255) String title) {

        StartChatSessionRequest {
            title = title == null ? null : title.strip();
        }
    }

    @PostMapping
    ResponseEntity<StartedChatSession> start(@Valid @RequestBody StartChatSessionRequest request) {
        StartedChatSession started = commands.send(
                new StartChatSession(Ids.next(), request.userId(), Ids.next(), request.title()));
        return ResponseEntity.status(HttpStatus.CREATED).body(started);
    }
}
