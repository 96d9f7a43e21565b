-- The gateway read model: the seven tables and four enums of seed 000, with its table, column, index and
-- enum names unchanged. Choices the seed leaves open are in docs/read-models.md.
-- The CHECK constraints restate what the command side already guarantees of every event, so a projection
-- bug fails loudly instead of storing a row no event could have produced.

CREATE TYPE user_role AS ENUM ('user', 'admin');
CREATE TYPE session_status AS ENUM ('pending', 'active', 'stopped', 'expired', 'error');
CREATE TYPE chat_message_role AS ENUM ('user', 'assistant', 'system');
CREATE TYPE container_status AS ENUM ('creating', 'running', 'stopped', 'error');

CREATE TABLE users (
    id            UUID         NOT NULL,
    email         VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    role          user_role    NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_users PRIMARY KEY (id)
);

-- Unique on the email as registered: the command side already refuses an email that differs only in
-- case, so a plain unique index never refuses a valid stream and lets a login look up exactly one row.
CREATE UNIQUE INDEX idx_user_email ON users (email);
CREATE INDEX idx_user_role ON users (role);

COMMENT ON TABLE users IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE sessions (
    id               UUID           NOT NULL,
    status           session_status NOT NULL,
    -- The orchestrator's id of the session's container; no foreign key, as the seed documents none.
    container_id     VARCHAR(255),
    created_at       TIMESTAMPTZ    NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ    NOT NULL,
    last_activity_at TIMESTAMPTZ,
    user_id          UUID           NOT NULL,
    CONSTRAINT pk_sessions PRIMARY KEY (id),
    CONSTRAINT fk_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_session_status ON sessions (status);
CREATE INDEX idx_session_expires_at ON sessions (expires_at);
CREATE INDEX idx_session_user_id ON sessions (user_id);

COMMENT ON TABLE sessions IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE conversations (
    id             UUID        NOT NULL,
    session_id     UUID        NOT NULL,
    messages_count INTEGER     NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_conversations PRIMARY KEY (id),
    CONSTRAINT fk_conversations_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
    CONSTRAINT ck_conversations_messages_count CHECK (messages_count >= 0)
);

-- Unique: a session has exactly one conversation (SessionStarted names it).
CREATE UNIQUE INDEX idx_conversation_session_id ON conversations (session_id);

COMMENT ON TABLE conversations IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE chat_messages (
    id              UUID              NOT NULL,
    conversation_id UUID              NOT NULL,
    role            chat_message_role NOT NULL,
    content         TEXT              NOT NULL,
    tokens_used     INTEGER           NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ       NOT NULL DEFAULT now(),
    CONSTRAINT pk_chat_messages PRIMARY KEY (id),
    CONSTRAINT fk_chat_messages_conversation_id FOREIGN KEY (conversation_id)
        REFERENCES conversations (id) ON DELETE CASCADE,
    CONSTRAINT ck_chat_messages_tokens_used CHECK (tokens_used >= 0)
);

CREATE INDEX idx_chat_message_conversation_id ON chat_messages (conversation_id);
CREATE INDEX idx_chat_message_created_at ON chat_messages (created_at);

COMMENT ON TABLE chat_messages IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE git_checkpoints (
    id             UUID        NOT NULL,
    session_id     UUID        NOT NULL,
    commit_hash    VARCHAR(40) NOT NULL,
    message_number INTEGER     NOT NULL,
    description    TEXT,
    files_changed  INTEGER     NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_git_checkpoints PRIMARY KEY (id),
    CONSTRAINT fk_git_checkpoints_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
    -- Abbreviated or full SHA-1; the command side lower-cases it.
    CONSTRAINT ck_git_checkpoints_commit_hash CHECK (commit_hash ~ '^[0-9a-f]{7,40}$'),
    -- Messages are numbered from 1, and a checkpoint follows a message that exists.
    CONSTRAINT ck_git_checkpoints_message_number CHECK (message_number >= 1),
    CONSTRAINT ck_git_checkpoints_files_changed CHECK (files_changed >= 0)
);

CREATE INDEX idx_git_checkpoint_session_id ON git_checkpoints (session_id);
CREATE INDEX idx_git_checkpoint_commit_hash ON git_checkpoints (commit_hash);
CREATE INDEX idx_git_checkpoint_created_at ON git_checkpoints (created_at);

COMMENT ON TABLE git_checkpoints IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE containers (
    -- The orchestrator's container id (e.g. Docker's 64 hex digits): the seed's table has no other id.
    id              VARCHAR(255)     NOT NULL,
    session_id      UUID             NOT NULL,
    container_name  VARCHAR(255)     NOT NULL,
    image           VARCHAR(500)     NOT NULL,
    status          container_status NOT NULL,
    -- CPUs, e.g. 0.5; the command side accepts up to 1024.
    cpu_limit       NUMERIC(6, 2)    NOT NULL,
    memory_limit_mb INTEGER          NOT NULL,
    created_at      TIMESTAMPTZ      NOT NULL DEFAULT now(),
    started_at      TIMESTAMPTZ,
    stopped_at      TIMESTAMPTZ,
    CONSTRAINT pk_containers PRIMARY KEY (id),
    CONSTRAINT fk_containers_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE,
    CONSTRAINT ck_containers_memory_limit_mb CHECK (memory_limit_mb >= 1)
);

-- Unique: a session has at most one container.
CREATE UNIQUE INDEX idx_container_session_id ON containers (session_id);
-- Unique: the command side claims each name once across all sessions (eventstore.claimed_container_name).
CREATE UNIQUE INDEX idx_container_name ON containers (container_name);
CREATE INDEX idx_container_status ON containers (status);

COMMENT ON TABLE containers IS
    'Projected from the event stream by projection-service; nothing else may write it.';

CREATE TABLE token_usage (
    id              UUID         NOT NULL,
    session_id      UUID         NOT NULL,
    -- No foreign keys on conversation_id and chat_message_id: the seed documents none.
    conversation_id UUID         NOT NULL,
    chat_message_id UUID,
    model           VARCHAR(255) NOT NULL,
    input_tokens    INTEGER      NOT NULL,
    output_tokens   INTEGER      NOT NULL,
    total_tokens    INTEGER      NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_token_usage PRIMARY KEY (id),
    -- RESTRICT keeps billing records: a session with charges (or its user) cannot be deleted.
    CONSTRAINT fk_token_usage_session_id FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE RESTRICT,
    CONSTRAINT ck_token_usage_input_tokens CHECK (input_tokens >= 0),
    CONSTRAINT ck_token_usage_output_tokens CHECK (output_tokens >= 0),
    -- Each count is capped at 10^9 by the command side, so the sum cannot overflow.
    CONSTRAINT ck_token_usage_total_tokens CHECK (total_tokens = input_tokens + output_tokens)
);

CREATE INDEX idx_token_usage_session_id ON token_usage (session_id);
CREATE INDEX idx_token_usage_conversation_id ON token_usage (conversation_id);
CREATE INDEX idx_token_usage_chat_message_id ON token_usage (chat_message_id);
CREATE INDEX idx_token_usage_model ON token_usage (model);
CREATE INDEX idx_token_usage_created_at ON token_usage (created_at);

COMMENT ON TABLE token_usage IS
    'Projected from the event stream by projection-service; nothing else may write it.';
