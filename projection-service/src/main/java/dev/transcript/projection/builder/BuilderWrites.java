package dev.transcript.projection.builder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transcript.events.project.ProjectCreated;
import dev.transcript.events.project.ProjectUpdated;
import dev.transcript.events.session.ContainerCreated;
import dev.transcript.events.session.ContainerExposed;
import dev.transcript.events.session.ContainerLabeled;
import dev.transcript.events.session.FileStored;
import dev.transcript.events.session.MessagePosted;
import dev.transcript.events.user.LoginOpened;
import dev.transcript.events.user.UserProfileChanged;
import dev.transcript.events.user.UserRegistered;
import dev.transcript.projection.stream.StatementBatch;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the builder read model, one method per change, sent in JDBC batches by {@link StatementBatch}.
 * Every statement is idempotent on its own: inserts ignore an existing key, and every update is guarded so that
 * it touches no row whose values are already those it would set. The guard matters beyond idempotence: seed
 * 001's trigger sets {@code updated_at = now()} on every UPDATE of containers, projects and file_storage, so an
 * update that changed nothing would still move {@code updated_at}.
 */
@Component
class BuilderWrites {

    /** A session's owner and conversation, as its start named them, and whether the user's row is there yet. */
    record Owner(UUID userId, UUID conversationId, boolean userProjected) {
    }

    /** Whether a project's parents, from other aggregates' partitions, are projected yet. */
    record Parents(boolean userProjected, boolean containerProjected) {
    }

    private final JdbcTemplate jdbc;
    private final StatementBatch statements;
    private final ObjectMapper json;

    BuilderWrites(JdbcTemplate jdbc, StatementBatch statements, ObjectMapper json) {
        this.jdbc = jdbc;
        this.statements = statements;
        this.json = json;
    }

    // --- users and their logins ---

    void insertUser(UserRegistered event, Instant at) {
        statements.add("""
                INSERT INTO builder.users (id, email, name, avatar_url, created_at, updated_at, is_active)
                VALUES (?, ?, NULL, NULL, ?, ?, true) ON CONFLICT (id) DO NOTHING""",
                event.userId(), event.email(), ts(at), ts(at));
    }

    void changeProfile(UserProfileChanged event, Instant at) {
        statements.add("""
                UPDATE builder.users SET name = ?, avatar_url = ?, updated_at = ?
                WHERE id = ? AND (name IS DISTINCT FROM ? OR avatar_url IS DISTINCT FROM ?
                    OR updated_at IS DISTINCT FROM ?)""",
                event.name(), event.avatarUrl(), ts(at), event.userId(), event.name(), event.avatarUrl(), ts(at));
    }

    void setUserActive(UUID userId, boolean active, Instant at) {
        statements.add("""
                UPDATE builder.users SET is_active = ?, updated_at = ?
                WHERE id = ? AND (is_active IS DISTINCT FROM ? OR updated_at IS DISTINCT FROM ?)""",
                active, ts(at), userId, active, ts(at));
    }

    /** The login session (its token only as the hash), and the user's last login moved forward, never back. */
    void openLogin(LoginOpened event, Instant at) {
        statements.add("""
                INSERT INTO builder.sessions (id, user_id, token, expires_at, created_at, last_activity, ip_address,
                    user_agent, is_active)
                VALUES (?, ?, ?, ?, ?, ?, ?::inet, ?, true) ON CONFLICT (id) DO NOTHING""",
                event.loginId(), event.userId(), event.tokenSha256(), ts(event.expiresAt()), ts(at), ts(at),
                event.ipAddress(), event.userAgent());
        statements.add("""
                UPDATE builder.users SET last_login = ? WHERE id = ? AND (last_login IS NULL OR last_login < ?)""",
                ts(at), event.userId(), ts(at));
    }

    void touchLogin(UUID loginId, Instant at) {
        statements.add("""
                UPDATE builder.sessions SET last_activity = ?
                WHERE id = ? AND (last_activity IS NULL OR last_activity < ?)""",
                ts(at), loginId, ts(at));
    }

    void closeLogin(UUID loginId) {
        statements.add("UPDATE builder.sessions SET is_active = false WHERE id = ? AND is_active IS DISTINCT FROM false",
                loginId);
    }

    // --- sessions' owners ---

    void rememberOwner(UUID sessionId, UUID userId, UUID conversationId) {
        statements.add("""
                INSERT INTO projection.session_owner (session_id, user_id, conversation_id) VALUES (?, ?, ?)
                ON CONFLICT (session_id) DO NOTHING""",
                sessionId, userId, conversationId);
    }

    Optional<Owner> ownerOf(UUID sessionId) {
        statements.flush();
        return jdbc.query("""
                SELECT o.user_id, o.conversation_id, EXISTS (SELECT 1 FROM builder.users u WHERE u.id = o.user_id)
                FROM projection.session_owner o WHERE o.session_id = ?""",
                (row, n) -> new Owner(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getBoolean(3)),
                sessionId).stream().findFirst();
    }

    // --- containers: the row of a session's container has the session's id ---

    /** The container, and the session's messages posted before it, which had no container to point at. */
    void insertContainer(ContainerCreated event, Owner owner, Instant at) {
        statements.add("""
                INSERT INTO builder.containers (id, container_id, name, status, image_name, created_at, updated_at,
                    user_id)
                VALUES (?, ?, ?, 'created', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""",
                event.sessionId(), event.containerId(), event.containerName(), event.image(), ts(at), ts(at),
                owner.userId());
        statements.add("""
                UPDATE builder.chat_messages SET container_id = ? WHERE session_id = ? AND container_id IS NULL""",
                event.sessionId(), owner.conversationId().toString());
    }

    void containerStarted(UUID sessionId, Instant at) {
        statements.add("""
                UPDATE builder.containers SET status = 'running', started_at = ?
                WHERE id = ? AND (status IS DISTINCT FROM 'running' OR started_at IS DISTINCT FROM ?)""",
                ts(at), sessionId, ts(at));
    }

    void containerStopped(UUID sessionId, Instant at) {
        statements.add("""
                UPDATE builder.containers SET status = 'stopped', stopped_at = ?
                WHERE id = ? AND (status IS DISTINCT FROM 'stopped' OR stopped_at IS DISTINCT FROM ?)""",
                ts(at), sessionId, ts(at));
    }

    void containerExposed(ContainerExposed event) {
        statements.add("""
                UPDATE builder.containers SET assigned_port = ?, url = ?
                WHERE id = ? AND (assigned_port IS DISTINCT FROM ? OR url IS DISTINCT FROM ?)""",
                event.assignedPort(), event.url(), event.sessionId(), event.assignedPort(), event.url());
    }

    void containerLabeled(ContainerLabeled event) {
        String labels = json(event.labels());
        String metadata = json(event.metadata());
        statements.add("""
                UPDATE builder.containers SET labels = ?::jsonb, metadata = ?::jsonb
                WHERE id = ? AND (labels IS DISTINCT FROM ?::jsonb OR metadata IS DISTINCT FROM ?::jsonb)""",
                labels, metadata, event.sessionId(), labels, metadata);
    }

    /** Soft: the row stays, with the seed's status {@code deleted}. */
    void containerDeleted(UUID sessionId) {
        statements.add("UPDATE builder.containers SET status = 'deleted' WHERE id = ? AND status IS DISTINCT FROM 'deleted'",
                sessionId);
    }

    // --- files ---

    void insertFile(FileStored event, Instant at) {
        statements.add("""
                INSERT INTO builder.file_storage (id, container_id, file_path, file_name, file_size, mime_type,
                    created_at, updated_at, is_deleted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, false) ON CONFLICT (id) DO NOTHING""",
                event.fileId(), event.sessionId(), event.filePath(), event.fileName(), event.fileSize(),
                event.mimeType(), ts(at), ts(at));
    }

    void fileDeleted(UUID fileId) {
        statements.add("UPDATE builder.file_storage SET is_deleted = true WHERE id = ? AND is_deleted IS DISTINCT FROM true",
                fileId);
    }

    // --- chat messages ---

    /**
     * The message, in its conversation (seed 001's chat session id), pointing at the session's container if the
     * session has one yet; a container created later takes the session's earlier messages.
     */
    void insertMessage(MessagePosted event, Instant at) {
        statements.add("""
                INSERT INTO builder.chat_messages (id, container_id, session_id, role, content, attachments, metadata,
                    created_at)
                SELECT ?::uuid, (SELECT c.id FROM builder.containers c WHERE c.id = ?::uuid), ?::varchar, ?::varchar,
                    ?::text, ?::jsonb, ?::jsonb, ?::timestamptz
                ON CONFLICT (id) DO NOTHING""",
                event.messageId(), event.sessionId(), event.conversationId().toString(), wire(event.role()),
                event.content(), json(event.attachments()), json(event.metadata()), ts(at));
    }

    // --- projects ---

    Parents parentsOf(UUID userId, UUID sessionId) {
        statements.flush();
        return jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM builder.users WHERE id = ?),
                       EXISTS (SELECT 1 FROM builder.containers WHERE id = ?)""",
                (row, n) -> new Parents(row.getBoolean(1), row.getBoolean(2)), userId, sessionId);
    }

    void insertProject(ProjectCreated event, Instant at) {
        statements.add("""
                INSERT INTO builder.projects (id, container_id, name, description, type, status, created_at,
                    updated_at, user_id, metadata, settings)
                VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?::jsonb, ?::jsonb) ON CONFLICT (id) DO NOTHING""",
                event.projectId(), event.sessionId(), event.name(), event.description(), event.type(), ts(at), ts(at),
                event.userId(), json(event.metadata()), json(event.settings()));
    }

    void updateProject(ProjectUpdated event) {
        String settings = json(event.settings());
        String metadata = json(event.metadata());
        statements.add("""
                UPDATE builder.projects SET name = ?, description = ?, type = ?, settings = ?::jsonb, metadata = ?::jsonb
                WHERE id = ? AND (name IS DISTINCT FROM ? OR description IS DISTINCT FROM ?::text
                    OR type IS DISTINCT FROM ? OR settings IS DISTINCT FROM ?::jsonb OR metadata IS DISTINCT FROM ?::jsonb)""",
                event.name(), event.description(), event.type(), settings, metadata,
                event.projectId(), event.name(), event.description(), event.type(), settings, metadata);
    }

    void setProjectStatus(UUID projectId, String status) {
        statements.add("UPDATE builder.projects SET status = ? WHERE id = ? AND status IS DISTINCT FROM ?",
                status, projectId, status);
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
