package dev.transcript.projection.chat;

import dev.transcript.projection.web.Cursors;
import dev.transcript.projection.web.InvalidParameter;
import dev.transcript.projection.web.Limits;
import dev.transcript.projection.web.NotFound;
import dev.transcript.projection.web.Page;
import dev.transcript.projection.web.Parameters;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The chat read model, for the calling user only: their conversations, a conversation's messages, their daily
 * usage and cost. Every query runs under row-level security as the caller ({@link ChatReadDatabase}).
 *
 * <p>Until authentication arrives, the caller names itself in the {@value #USER_HEADER} header, and this service
 * believes it: anyone who can reach the port can read any user's chats by naming them. Row-level security
 * protects against a query that forgets its WHERE clause, not against a caller who lies.
 */
@RestController
@RequestMapping("/api/chat")
public class ChatController {

    public static final String USER_HEADER = "X-Transcript-User-Id";
    /** The longest range {@code /usage/daily} sums in one answer, in days (both ends included). */
    static final int MAX_DAYS = 366;

    private final ChatQueries chat;

    ChatController(ChatQueries chat) {
        this.chat = chat;
    }

    /** The caller's conversations, most recently changed first; {@code cursor} is the page before's nextCursor. */
    @GetMapping("/conversations")
    Page<ConversationView> conversations(@RequestHeader(name = USER_HEADER, required = false) @Nullable String user,
                                         @RequestParam(required = false) @Nullable String limit,
                                         @RequestParam(required = false) @Nullable String cursor) {
        UUID caller = caller(user);
        int size = Limits.of(limit);
        ChatQueries.AfterConversation after = Cursors.decode(cursor, position -> {
            List<String> parts = Cursors.parts(position, 2);
            return new ChatQueries.AfterConversation(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
        });
        return Page.of(chat.conversations(caller, after, size + 1), size, ConversationView::position);
    }

    /** A conversation of the caller's, its messages in order; another user's is not found, as a missing one. */
    @GetMapping("/conversations/{id}/messages")
    Page<ChatMessageView> messages(@RequestHeader(name = USER_HEADER, required = false) @Nullable String user,
                                   @PathVariable String id,
                                   @RequestParam(required = false) @Nullable String limit,
                                   @RequestParam(required = false) @Nullable String cursor) {
        UUID caller = caller(user);
        UUID conversationId = Parameters.uuid("id", id);
        int size = Limits.of(limit);
        ChatQueries.AfterMessage after = Cursors.decode(cursor, position -> {
            List<String> parts = Cursors.parts(position, 2);
            return new ChatQueries.AfterMessage(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1)));
        });
        List<ChatMessageView> messages = chat.messages(caller, conversationId, after, size + 1);
        if (messages == null) {
            throw new NotFound("you have no conversation with id " + conversationId);
        }
        return Page.of(messages, size, ChatMessageView::position);
    }

    record DailyUsageAnswer(LocalDate from, LocalDate to, List<DailyUsage> items) {
    }

    /**
     * The caller's usage per UTC day (from {@code from} through {@code to}, both included, ISO dates), model and
     * currency: tokens, charges, the exact sum of the known costs, and how many charges had no known cost.
     */
    @GetMapping("/usage/daily")
    DailyUsageAnswer dailyUsage(@RequestHeader(name = USER_HEADER, required = false) @Nullable String user,
                                @RequestParam String from, @RequestParam String to) {
        UUID caller = caller(user);
        LocalDate first = date("from", from);
        LocalDate last = date("to", to);
        if (last.isBefore(first)) {
            throw new InvalidParameter("to", "must not be before from");
        }
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw new InvalidParameter("to", "must make a range of at most " + MAX_DAYS + " days, from and to included");
        }
        return new DailyUsageAnswer(first, last, chat.dailyUsage(caller, first, last));
    }

    /** The calling user, as the header names it (no authentication yet: see the class comment). */
    private static UUID caller(@Nullable String header) {
        if (header == null || header.isBlank()) {
            throw new InvalidParameter(USER_HEADER, "is required: the id of the user whose chats to read");
        }
        return Parameters.uuid(USER_HEADER, header.strip());
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameter(name, "must be an ISO-8601 date such as 2026-01-23");
        }
    }
}
