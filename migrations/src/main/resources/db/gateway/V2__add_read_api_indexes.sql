-- Indexes for the read API's keyset pagination (projection-service's *Queries classes), beyond the seed's.
-- A keyset page is "WHERE <filter> AND (k1, k2, ...) > (last page's keys) ORDER BY k1, k2, ... LIMIT n": with
-- a B-tree on (<filter columns>, k1, k2, ...) PostgreSQL starts at the last page's keys and reads just n index
-- entries, in order, for page 1 as for page 10,000. The seed's single-column indexes (idx_session_user_id,
-- idx_chat_message_conversation_id, idx_git_checkpoint_session_id, ...) find the rows of one filter value but
-- not in page order, so every page would read and sort all of them (or all sessions, for the unfiltered list).
--
-- Named ix_ so they are never mistaken for the seed's documented idx_ indexes, whose names stay unchanged.
-- Ascending columns: a B-tree is walked backwards just as cheaply, which serves the newest-first session
-- list (ORDER BY created_at DESC, id DESC) since both keys go the same direction.
-- Plain CREATE INDEX, in Flyway's transaction: the migration runs when projection-service starts, before its
-- listeners; CONCURRENTLY cannot run inside a transaction and would wait on Flyway's own lock transaction.

-- GET /api/sessions, newest first, unfiltered: ORDER BY created_at DESC, id DESC, after (created_at, id).
CREATE INDEX ix_session_created_at ON sessions (created_at, id);

-- GET /api/sessions?userId=…: equality on user_id, then the same order (a user's sessions, newest first).
CREATE INDEX ix_session_user_created_at ON sessions (user_id, created_at, id);

-- GET /api/sessions?status=…: equality on status, then the same order (e.g. the active sessions, newest first).
CREATE INDEX ix_session_status_created_at ON sessions (status, created_at, id);

-- GET /api/conversations/{id}/messages: WHERE conversation_id = ? AND id > ? ORDER BY id. Message ids are
-- UUIDv8 with the message number in their top bits, so id order is message order within a conversation.
CREATE INDEX ix_chat_message_conversation_id_id ON chat_messages (conversation_id, id);

-- GET /api/sessions/{id}/checkpoints: WHERE session_id = ? AND (message_number, created_at, id) > (...)
-- ORDER BY message_number, created_at, id.
CREATE INDEX ix_git_checkpoint_session_order ON git_checkpoints (session_id, message_number, created_at, id);
