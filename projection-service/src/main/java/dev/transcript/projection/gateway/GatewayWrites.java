package dev.transcript.projection.gateway;

import dev.transcript.events.session.ChatSessionStarted;
import dev.transcript.events.session.CheckpointCreated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.session.SessionStarted;
import dev.transcript.events.session.TokenUsageRecorded;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.events.user.UserRole;
import dev.transcript.projection.stream.StatementBatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * The SQL of the gateway read model, one method per change, sent in JDBC batches by {@link StatementBatch}.
 * Every statement is idempotent on its own
 * (inserts ignore an existing key, updates assign values), so a replay can never double a row even
 * without the bookkeeping in front of it.
 */
@Component
class GatewayWrites {

    private final JdbcTemplate jdbc;
    private final StatementBatch statements;
    private final MessageRows messageRows;

    GatewayWrites(JdbcTemplate jdbc, StatementBatch statements, MessageRows messageRows) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.messageRows = messageRows;
    }

    boolean userExists(UUID userId) {
        statements.flush();
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM gateway.users WHERE id = ?)", Boolean.class, userId));
    }

    void insertUser(UserRegistered event, Instant at) {
        statements.add("""
                INSERT INTO gateway.users (id, email, password_hash, role, created_at)
                VALUES (?, ?, ?, ?::gateway.user_role, ?) ON CONFLICT (id) DO NOTHING""",
                event.userId(), event.email(), event.passwordHash(), wire(event.role()), ts(at));
    }

    void changeRole(UUID userId, UserRole role) {
        statements.add("UPDATE gateway.users SET role = ?::gateway.user_role WHERE id = ?", wire(role), userId);
    }

    void insertSession(SessionStarted event, Instant at) {
        statements.add("""
                INSERT INTO gateway.sessions (id, status, created_at, expires_at, user_id)
                VALUES (?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.sessionId(), ts(at), ts(event.expiresAt()), event.userId());
        statements.add("""
                INSERT INTO gateway.conversations (id, session_id, messages_count, created_at, updated_at)
                VALUES (?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.conversationId(), event.sessionId(), ts(at), ts(at));
    }

    /** A chat session never expires: {@code 'infinity'} is PostgreSQL's "never" in the NOT NULL column. */
    void insertChatSession(ChatSessionStarted event, Instant at) {
        statements.add("""
                INSERT INTO gateway.sessions (id, status, created_at, expires_at, user_id)
                VALUES (?, 'active', ?, 'infinity', ?) ON CONFLICT (id) DO NOTHING""",
                event.sessionId(), ts(at), event.userId());
        statements.add("""
                INSERT INTO gateway.conversations (id, session_id, messages_count, created_at, updated_at)
                VALUES (?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.conversationId(), event.sessionId(), ts(at), ts(at));
    }

    void setSessionStatus(UUID sessionId, String status) {
        statements.add("UPDATE gateway.sessions SET status = ?::gateway.session_status WHERE id = ?", status, sessionId);
    }

    void setSessionExpiry(UUID sessionId, Instant expiresAt) {
        statements.add("UPDATE gateway.sessions SET expires_at = ? WHERE id = ?", ts(expiresAt), sessionId);
    }

    void insertContainer(ContainerCreated event, Instant at) {
        statements.add("""
                INSERT INTO gateway.containers (id, session_id, container_name, image, status, cpu_limit,
                    memory_limit_mb, created_at)
                VALUES (?, ?, ?, ?, 'creating', ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.containerId(), event.sessionId(), event.containerName(), event.image(), event.cpuLimit(),
                event.memoryLimitMb(), ts(at));
        statements.add("UPDATE gateway.sessions SET container_id = ? WHERE id = ?", event.containerId(), event.sessionId());
    }

    void containerStarted(String containerId, Instant at) {
        statements.add("UPDATE gateway.containers SET status = 'running', started_at = ? WHERE id = ?", ts(at), containerId);
    }

    void containerEnded(String containerId, String status, Instant at) {
        statements.add("UPDATE gateway.containers SET status = ?::gateway.container_status, stopped_at = ? WHERE id = ?",
                status, ts(at), containerId);
    }

    /** Consecutive messages are written together, by {@link MessageRows}. */
    void insertMessage(MessagePosted event, Instant at) {
        statements.add(messageRows, MessageRows.row(event.messageId(), event.conversationId(), event.sessionId(),
                wire(event.role()), event.content(), event.tokensUsed(), event.messageNumber(), ts(at)));
    }

    void insertCheckpoint(CheckpointCreated event, Instant at) {
        statements.add("""
                INSERT INTO gateway.git_checkpoints (id, session_id, commit_hash, message_number, description,
                    files_changed, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.checkpointId(), event.sessionId(), event.commitHash(), event.messageNumber(),
                event.description(), event.filesChanged(), ts(at));
    }

    void insertTokenUsage(TokenUsageRecorded event, Instant at) {
        statements.add("""
                INSERT INTO gateway.token_usage (id, session_id, conversation_id, chat_message_id, model,
                    input_tokens, output_tokens, total_tokens, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.usageId(), event.sessionId(), event.conversationId(), event.chatMessageId(), event.model(),
                event.inputTokens(), event.outputTokens(), event.totalTokens(), ts(at));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
