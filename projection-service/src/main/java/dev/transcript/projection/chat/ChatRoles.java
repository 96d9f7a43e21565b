package dev.transcript.projection.chat;

import dev.transcript.projection.stream.SchemaPlaceholders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The chat schema's two database roles ({@code db/chat}): the projector writes as the writer ({@code SET LOCAL
 * ROLE}), the chat read API logs in as the reader. Their names are {@code transcript.projection.chat.reader-role}
 * and {@code writer-role}, and are passed to the chat migrations as {@code ${chatReader}} and {@code ${chatWriter}},
 * over the defaults of {@code flyway/chat.properties}, so the roles the migrations create and grant are these.
 */
@Component
public class ChatRoles implements SchemaPlaceholders {

    private final String reader;
    private final String writer;

    ChatRoles(@Value("${transcript.projection.chat.reader-role}") String reader,
              @Value("${transcript.projection.chat.writer-role}") String writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /** The role the chat read API connects as: no superuser, owns nothing, bound by {@code reader_own_rows}. */
    public String reader() {
        return reader;
    }

    /** The role the chat projector writes as: bound by {@code writer_all_rows}, which hides nothing. */
    public String writer() {
        return writer;
    }

    @Override
    public String schema() {
        return "chat";
    }

    @Override
    public Map<String, String> placeholders() {
        return Map.of("chatReader", reader, "chatWriter", writer);
    }
}
