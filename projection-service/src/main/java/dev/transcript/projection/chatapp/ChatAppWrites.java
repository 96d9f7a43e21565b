package dev.transcript.projection.chatapp;

import dev.transcript.events.pipeline.PipelineCompleted;
import dev.transcript.events.pipeline.PipelineFailed;
import dev.transcript.events.pipeline.PipelineStarted;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.UserRegistered;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.UUID;

import static dev.transcript.projection.chatapp.ChatAppValues.boundedText;
import static dev.transcript.projection.chatapp.ChatAppValues.json;
import static dev.transcript.projection.chatapp.ChatAppValues.text;
import static dev.transcript.projection.chatapp.ChatAppValues.utc;

/**
 * The SQL of the chat_app read model, one method per change, in SQL that PostgreSQL and MariaDB/MySQL both run.
 *
 * <p>Every statement is idempotent on its own, without {@code ON CONFLICT} or {@code INSERT IGNORE} (neither is
 * portable), because on a database of its own chat_app commits apart from the bookkeeping
 * ({@link ChatAppDatabase}):
 * <ul>
 *   <li>an insert is {@code INSERT … SELECT … FROM (SELECT 1 AS one) AS x WHERE NOT EXISTS (… WHERE id = ?)};</li>
 *   <li>an update assigns the event's values, or moves a time forward only: {@code SET t = ? … AND t < ?}
 *       rather than {@code GREATEST}, which on MariaDB/MySQL is NULL when any argument is (a first login) and
 *       compares a bound time as text;</li>
 *   <li>ids are the events' UUIDs as text; times are {@link ChatAppValues#utc} values; JSON and long text are
 *       made by {@link ChatAppValues}, so both engines are handed identical values.</li>
 * </ul>
 * Rows are sent in runs by {@code StatementBatch} (e.g. a poll's messages as two JDBC batches).
 */
@Component
class ChatAppWrites {

    private static final Logger log = LoggerFactory.getLogger(ChatAppWrites.class);
    private static final String ONE_ROW = "FROM (SELECT 1 AS one) AS x";

    private final ChatAppDatabase database;
    private final MeterRegistry meters;
    private final String users;

    private final ChatAppDatabase.Change insertUser;
    private final ChatAppDatabase.Change activateUser;
    private final ChatAppDatabase.Change openLogin;
    private final ChatAppDatabase.Change touchLogin;
    private final ChatAppDatabase.Change closeLogin;
    private final ChatAppDatabase.Change insertChatSession;
    private final ChatAppDatabase.Change titleChatSession;
    private final ChatAppDatabase.Change insertMessage;
    private final ChatAppDatabase.Change startPipeline;
    private final ChatAppDatabase.Change completePipeline;
    private final ChatAppDatabase.Change failPipeline;

    ChatAppWrites(ChatAppDatabase database, MeterRegistry meters) {
        this.database = database;
        this.meters = meters;
        this.users = database.table("users");
        String sessions = database.table("sessions");
        String chatSessions = database.table("chat_sessions");
        String chatMessages = database.table("chat_messages");
        String pipelineExecutions = database.table("pipeline_executions");

        insertUser = database.change("""
                INSERT INTO %1$s (id, email, password_hash, is_active, created_at, updated_at)
                SELECT ?, ?, ?, TRUE, ?, ? %2$s
                WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE id = ?)""".formatted(users, ONE_ROW));
        activateUser = database.change("UPDATE %s SET is_active = ?, updated_at = ? WHERE id = ?".formatted(users));
        openLogin = database.change("""
                UPDATE %s SET last_login_at = ?
                WHERE id = ? AND (last_login_at IS NULL OR last_login_at < ?)""".formatted(users),
                """
                INSERT INTO %1$s (id, user_id, token_hash, ip_address, user_agent, is_active, created_at, expires_at,
                    last_activity_at)
                SELECT ?, ?, ?, ?, ?, TRUE, ?, ?, ? %2$s
                WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE id = ?)""".formatted(sessions, ONE_ROW));
        touchLogin = database.change(
                "UPDATE %s SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?".formatted(sessions));
        closeLogin = database.change("UPDATE %s SET is_active = FALSE WHERE id = ?".formatted(sessions));
        insertChatSession = database.change("""
                INSERT INTO %1$s (id, user_id, title, created_at, updated_at)
                SELECT ?, ?, ?, ?, ? %2$s
                WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE id = ?)""".formatted(chatSessions, ONE_ROW));
        titleChatSession = database.change("UPDATE %s SET title = ? WHERE id = ?".formatted(chatSessions));
        insertMessage = database.change("""
                INSERT INTO %1$s (id, session_id, role, content, model, tokens_used, metadata, created_at)
                SELECT ?, ?, ?, ?, ?, ?, ?, ? %2$s
                WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE id = ?)""".formatted(chatMessages, ONE_ROW),
                // seed 002: chat_sessions.updated_at is the "last message time"
                "UPDATE %s SET updated_at = ? WHERE id = ? AND updated_at < ?".formatted(chatSessions));
        startPipeline = database.change("""
                INSERT INTO %1$s (id, user_id, pipeline_name, input_data, status, created_at)
                SELECT ?, ?, ?, ?, 'running', ? %2$s
                WHERE NOT EXISTS (SELECT 1 FROM %1$s WHERE id = ?)""".formatted(pipelineExecutions, ONE_ROW));
        completePipeline = database.change("""
                UPDATE %s SET status = 'completed', output_data = ?, duration_ms = ?, completed_at = ?
                WHERE id = ?""".formatted(pipelineExecutions));
        failPipeline = database.change("""
                UPDATE %s SET status = 'failed', error_message = ?, duration_ms = ?, completed_at = ?
                WHERE id = ?""".formatted(pipelineExecutions));
    }

    boolean userExists(UUID userId) {
        return exists(users, userId);
    }

    private boolean exists(String table, UUID id) {
        return database.read(() -> {
            Long rows = database.jdbc().queryForObject("SELECT COUNT(*) FROM " + table + " WHERE id = ?", Long.class,
                    id.toString());
            return rows != null && rows > 0;
        });
    }

    // --- users and their logins

    void insertUser(UserRegistered event, Instant at) {
        LocalDateTime time = utc(at);
        String id = event.userId().toString();
        database.add(insertUser, row(id, text(event.email()), text(event.passwordHash()), time, time, id));
    }

    void activateUser(UUID userId, boolean active, Instant at) {
        database.add(activateUser, row(active, utc(at), userId.toString()));
    }

    void openLogin(LoginOpened event, Instant at) {
        LocalDateTime time = utc(at);
        String loginId = event.loginId().toString();
        // The user's last login first: when the login's row fails (a token hash already taken), the run's savepoint
        // must take that back too, as the batch applier's does on PostgreSQL.
        database.add(openLogin,
                row(time, event.userId().toString(), time),
                row(loginId, event.userId().toString(), text(event.tokenSha256()), text(event.ipAddress()),
                        bounded(event.userAgent(), "sessions.user_agent", loginId), time, utc(event.expiresAt()),
                        time, loginId));
    }

    void touchLogin(UUID loginId, Instant at) {
        LocalDateTime time = utc(at);
        database.add(touchLogin, row(time, loginId.toString(), time));
    }

    void closeLogin(UUID loginId) {
        database.add(closeLogin, row(loginId.toString()));
    }

    // --- chat sessions and messages

    void insertChatSession(UUID sessionId, UUID userId, String title, Instant at) {
        LocalDateTime time = utc(at);
        String id = sessionId.toString();
        database.add(insertChatSession, row(id, userId.toString(), text(title), time, time, id));
    }

    void titleChatSession(UUID sessionId, String title) {
        database.add(titleChatSession, row(text(title), sessionId.toString()));
    }

    /** The message, and its chat session's last message time moved to it (never back). */
    void insertMessage(MessagePosted event, Instant at) {
        LocalDateTime time = utc(at);
        String id = event.messageId().toString();
        String sessionId = event.sessionId().toString();
        database.add(insertMessage,
                row(id, sessionId, event.role().name().toLowerCase(Locale.ROOT),
                        bounded(event.content(), "chat_messages.content", id), text(event.model()),
                        event.tokensUsed(), jsonColumn(event.metadata(), "chat_messages.metadata", id), time, id),
                row(time, sessionId, time));
    }

    // --- pipelines

    void startPipeline(PipelineStarted event, Instant at) {
        String id = event.executionId().toString();
        database.add(startPipeline, row(id, event.userId().toString(), text(event.pipelineName()),
                jsonColumn(event.input(), "pipeline_executions.input_data", id), utc(at), id));
    }

    void completePipeline(PipelineCompleted event, Instant at) {
        String id = event.executionId().toString();
        database.add(completePipeline, row(jsonColumn(event.output(), "pipeline_executions.output_data", id),
                durationMs(event.durationMs(), id), utc(at), id));
    }

    void failPipeline(PipelineFailed event, Instant at) {
        String id = event.executionId().toString();
        database.add(failPipeline, row(bounded(event.errorMessage(), "pipeline_executions.error_message", id),
                durationMs(event.durationMs(), id), utc(at), id));
    }

    // --- values

    /** {@link ChatAppValues#boundedText}, counted and logged when it cuts. */
    private String bounded(String value, String column, String rowId) {
        if (ChatAppValues.exceedsText(value)) {
            meters.counter("transcript.projection.chat_app.cut", "column", column).increment();
            log.warn("chat_app: {} of {} is longer than {} bytes; stored cut to that length", column, rowId,
                    ChatAppValues.TEXT_BYTES);
        }
        return boundedText(value);
    }

    /** {@link ChatAppValues#json}, counted and logged when the JSON is too long to keep. */
    private String jsonColumn(Object value, String column, String rowId) {
        String text = json(value);
        if (text == null && value != null) {
            meters.counter("transcript.projection.chat_app.cut", "column", column).increment();
            log.warn("chat_app: {} of {} is longer than {} bytes of JSON; stored as NULL", column, rowId,
                    ChatAppValues.TEXT_BYTES);
        }
        return text;
    }

    /** {@code duration_ms} is an {@code INTEGER}: a run longer than 24.8 days has a duration NULL ("unknown"). */
    private static Integer durationMs(long durationMs, String rowId) {
        if (durationMs < 0 || durationMs > Integer.MAX_VALUE) {
            log.warn("chat_app: pipeline {} took {} ms, which INTEGER cannot hold; duration_ms left NULL", rowId,
                    durationMs);
            return null;
        }
        return (int) durationMs;
    }

    private static Object[] row(Object... arguments) {
        return arguments;
    }
}
