package dev.transcript.projection.conversation;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.Limits;
import dev.transcript.projection.web.NotFound;
import dev.transcript.projection.web.Page;
import dev.transcript.projection.web.Parameters;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/** A conversation's messages, oldest first (in message-number order), a page at a time. */
@RestController
@RequestMapping("/api/conversations")
public class ConversationController {

    private final MessageQueries messages;

    ConversationController(MessageQueries messages) {
        this.messages = messages;
    }

    @GetMapping("/{id}/messages")
    Page<MessageView> messages(@PathVariable String id,
                               @RequestParam(required = false) @Nullable String limit,
                               @RequestParam(required = false) @Nullable String cursor) {
        UUID conversationId = Parameters.uuid("id", id);
        int size = Limits.of(limit);
        UUID afterId = Cursors.decode(cursor, position -> Parameters.uuid(Cursors.PARAMETER, position));
        if (!messages.conversationExists(conversationId)) {
            throw new NotFound("no conversation with id " + conversationId);
        }
        return Page.of(messages.page(conversationId, afterId, size + 1), size,
                message -> message.id().toString());
    }
}
