-- The chat_app read model: seed 002 (an AI chat app's portable schema), run unchanged on PostgreSQL and on
-- MariaDB/MySQL. Only projection-service writes these tables. How Flyway is pointed at each engine (schema
-- chat_app on PostgreSQL, the configured database on MariaDB/MySQL) is dev.transcript.migrations.ChatAppMigrations;
-- the reasons for each choice below are in docs/read-models.md ("chat_app").
--
-- Portable on purpose, so no engine's dialect appears here:
-- * CREATE TABLE IF NOT EXISTS, as the seed asks. CREATE INDEX has no IF NOT EXISTS: MySQL 8 does not accept it,
--   and Flyway runs this file once per history anyway.
-- * Every time is TIMESTAMP(6), written in UTC: microseconds on both engines (MariaDB's plain TIMESTAMP keeps
--   whole seconds). Every TIMESTAMP column says NULL or NOT NULL and has no DEFAULT, so MariaDB/MySQL give it
--   no implicit DEFAULT CURRENT_TIMESTAMP / ON UPDATE. Rows carry the event's time, never the database's clock.
-- * Ids are the events' UUIDs as VARCHAR(36); JSON is TEXT; flags are BOOLEAN (TINYINT(1) on MariaDB/MySQL).
-- * Indexed columns are VARCHAR or TIMESTAMP, never TEXT. Constraints and indexes are named, so both engines
--   report the same names (an unnamed UNIQUE is users_email_key on PostgreSQL and email on MariaDB).
-- * No JSONB, ENUM, CHECK, AUTO_INCREMENT, ::casts, defaults or schema-qualified names.

-- Auth tables (seed 002: "from ia_auth_sessions").
CREATE TABLE IF NOT EXISTS users (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    email VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMP(6) NOT NULL,
    updated_at TIMESTAMP(6) NOT NULL,
    last_login_at TIMESTAMP(6) NULL,
    CONSTRAINT uq_users_email UNIQUE (email)
);

-- Login sessions. token_hash is the SHA-256 of the login token in 64 hex digits, never the token.
CREATE TABLE IF NOT EXISTS sessions (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    ip_address VARCHAR(45) NULL,
    user_agent TEXT NULL,
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMP(6) NOT NULL,
    expires_at TIMESTAMP(6) NOT NULL,
    last_activity_at TIMESTAMP(6) NOT NULL,
    CONSTRAINT uq_sessions_token_hash UNIQUE (token_hash),
    CONSTRAINT fk_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);

-- Chat tables (seed 002's "Tables", columns in its order).
CREATE TABLE IF NOT EXISTS chat_sessions (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    title VARCHAR(255) NULL,
    created_at TIMESTAMP(6) NOT NULL,
    updated_at TIMESTAMP(6) NOT NULL,
    CONSTRAINT fk_chat_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_chat_sessions_user_id ON chat_sessions (user_id);

CREATE TABLE IF NOT EXISTS chat_messages (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    session_id VARCHAR(36) NOT NULL,
    role VARCHAR(20) NOT NULL,
    content TEXT NOT NULL,
    model VARCHAR(100) NULL,
    tokens_used INTEGER NULL,
    metadata TEXT NULL,
    created_at TIMESTAMP(6) NOT NULL,
    CONSTRAINT fk_chat_messages_session_id FOREIGN KEY (session_id) REFERENCES chat_sessions (id) ON DELETE CASCADE
);

CREATE INDEX idx_chat_messages_session_id ON chat_messages (session_id);

CREATE TABLE IF NOT EXISTS pipeline_executions (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    pipeline_name VARCHAR(100) NOT NULL,
    input_data TEXT NULL,
    output_data TEXT NULL,
    status VARCHAR(20) NOT NULL,
    error_message TEXT NULL,
    duration_ms INTEGER NULL,
    created_at TIMESTAMP(6) NOT NULL,
    completed_at TIMESTAMP(6) NULL,
    CONSTRAINT fk_pipeline_executions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_pipeline_executions_user_id ON pipeline_executions (user_id);
CREATE INDEX idx_pipeline_executions_status ON pipeline_executions (status);
