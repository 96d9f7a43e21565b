-- The chat read model: seed 004 (a chatbot service), schema `chat`, its own history (chat.flyway_schema_history).
-- Migrate db/auth first: the foreign keys below reference auth.users.
--
-- The seed names three tables and lists no columns. Ours, chosen from its text (docs/read-models.md):
--   chat.conversations ("conversation metadata and context")
--     id UUID PK · user_id UUID NOT NULL → auth.users ON DELETE CASCADE · title VARCHAR(255) NULL ·
--     status VARCHAR(20) NOT NULL IN ('active','closed') · context JSONB NOT NULL DEFAULT '{}' ·
--     metadata JSONB NOT NULL DEFAULT '{}' · message_count INTEGER NOT NULL DEFAULT 0 (≥ 0) ·
--     created_at, updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
--   chat.messages ("individual messages within conversations")
--     id UUID PK · conversation_id UUID NOT NULL · user_id UUID NOT NULL (the conversation's owner,
--     denormalised so the policy needs no join) — (conversation_id, user_id) → conversations (id, user_id)
--     ON DELETE CASCADE, so it cannot differ from the owner · role VARCHAR(20) NOT NULL IN
--     ('user','assistant','system') · content TEXT NOT NULL · model VARCHAR(100) NULL ·
--     tokens_used INTEGER NOT NULL DEFAULT 0 (≥ 0) · metadata JSONB NOT NULL DEFAULT '{}' ·
--     created_at TIMESTAMPTZ NOT NULL
--   chat.usage_tracking ("token usage and cost tracking")
--     id UUID PK · user_id UUID NOT NULL → auth.users · conversation_id UUID NOT NULL —
--     (conversation_id, user_id) → conversations (id, user_id) · both ON DELETE RESTRICT (billing records stay:
--     a conversation or user with charges cannot be deleted, as gateway.token_usage) · message_id UUID NULL
--     (a charge may belong to no single message; no foreign key, as gateway.token_usage: the command side
--     already accepts only a message of the charge's own session) ·
--     model VARCHAR(255) NOT NULL · input_tokens, output_tokens, total_tokens INTEGER NOT NULL (≥ 0,
--     total = input + output) · cost NUMERIC(20,10) NULL (NULL = cost unknown: the model had no price), ≥ 0 ·
--     currency CHAR(3) NOT NULL DEFAULT 'USD' (ISO 4217 letters) · created_at TIMESTAMPTZ NOT NULL
--
-- "Automatic timestamp management": chat.set_updated_at() keeps conversations.updated_at. The seed's
-- "idempotent and can be run multiple times safely" is Flyway's job (each version runs once); only the role
-- creation below must cope with a second database on the same server, where the roles already exist.
--
-- Row-level security ("RLS policies for user data isolation"), ENABLEd and FORCEd on all three tables:
--   ${chatReader}: the read API's login role. SELECT on the three tables only, through a policy matching
--       user_id against the per-transaction setting transcript.user_id (SET LOCAL by the read API). Unset or
--       empty → NULL → no row, never an error. No access to auth.users, not even its own row.
--   ${chatWriter}: the projector's role. SELECT/INSERT/UPDATE/DELETE, and a policy USING (true) WITH CHECK
--       (true): nothing is hidden from it, even under FORCE.
--   The migrating user owns everything. FORCE subjects the owner to the policies too: a superuser (or a
--   BYPASSRLS role) bypasses them regardless, but an ordinary owner, named by no policy, sees no row here and
--   can write none (TRUNCATE, which RLS does not cover, excepted): a later data migration run as such an owner
--   changes no row unless it says NO FORCE first (or runs as a BYPASSRLS role), and pg_dump run as it fails
--   (it turns row_security off). Foreign-key checks and cascades bypass RLS, so integrity holds whoever deletes.
-- The setting is trusted: whoever connects as the reader may set any user id. The policies protect against a
-- query that forgets its WHERE clause, not against a compromised read API.

COMMENT ON SCHEMA chat IS
    'The chat read model (seed 004): conversations, messages and usage, under row-level security. '
    'Projected from the event stream by projection-service.';

-- The two roles, cluster-wide: created if missing, never altered (another database on this server may be
-- using them), and refused if they could escape the policies.
DO $roles$
DECLARE
    reader CONSTANT name := '${chatReader}';
    writer CONSTANT name := '${chatWriter}';
    role_name name;
BEGIN
    IF reader = writer THEN
        RAISE EXCEPTION 'chatReader and chatWriter must be two roles, both are %', reader;
    END IF;
    FOREACH role_name IN ARRAY ARRAY[writer, reader] LOOP
        -- The names are written unquoted below: only names that need no quoting (nor truncating, past 63).
        IF role_name !~ '^[a-z_][a-z0-9_]{0,62}$' THEN
            RAISE EXCEPTION 'role name % must be lower-case letters, digits and underscores', role_name;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name) THEN
            BEGIN
                -- LOGIN without a password: set one outside migrations (ALTER ROLE … PASSWORD), never here.
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION %s',
                               role_name, CASE WHEN role_name = reader THEN 'NOINHERIT' ELSE 'INHERIT' END);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                -- Created meanwhile, as by the migration of another database on this server (its CREATE ROLE
                -- was not committed when we looked): taken as found, and checked below like one.
                NULL;
            END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = role_name AND (rolsuper OR rolbypassrls)) THEN
            RAISE EXCEPTION 'role % is a superuser or bypasses row-level security: the chat policies would not bind it',
                role_name;
        END IF;
    END LOOP;
    -- A member of another role could take that role's policies (the writer's shows every row) or privileges.
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.member
               WHERE r.rolname = reader) THEN
        RAISE EXCEPTION 'role % is a member of another role: it could take that role''s policies', reader;
    END IF;
END
$roles$;

CREATE FUNCTION chat.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    -- A statement that sets updated_at (the projector, to its event's time, so a rebuild reproduces it) keeps
    -- its value; one that leaves it as it was gets the time of the transaction.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := pg_catalog.now();
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION chat.set_updated_at() IS
    'Trigger function: sets updated_at to now() on an UPDATE that leaves it unchanged; an UPDATE that sets it '
    'keeps its value.';

CREATE TABLE chat.conversations (
    id            UUID         NOT NULL,
    user_id       UUID         NOT NULL,
    title         VARCHAR(255),
    status        VARCHAR(20)  NOT NULL,
    context       JSONB        NOT NULL DEFAULT '{}',
    metadata      JSONB        NOT NULL DEFAULT '{}',
    message_count INTEGER      NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_conversations PRIMARY KEY (id),
    -- The target of the (conversation_id, user_id) foreign keys that keep the denormalised owners honest.
    CONSTRAINT uq_conversations_id_user_id UNIQUE (id, user_id),
    CONSTRAINT fk_conversations_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE CASCADE,
    CONSTRAINT ck_conversations_status CHECK (status IN ('active', 'closed')),
    CONSTRAINT ck_conversations_context CHECK (jsonb_typeof(context) = 'object'),
    CONSTRAINT ck_conversations_metadata CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT ck_conversations_message_count CHECK (message_count >= 0)
);

-- A user's conversations, most recently active first.
CREATE INDEX idx_conversations_user_id_updated_at ON chat.conversations (user_id, updated_at DESC);

CREATE TRIGGER trg_conversations_updated_at
    BEFORE UPDATE ON chat.conversations
    FOR EACH ROW EXECUTE FUNCTION chat.set_updated_at();

COMMENT ON TABLE chat.conversations IS
    'Conversation metadata and context, one row per conversation. Projected from the event stream by '
    'projection-service; nothing else may write it. Row-level security: a reader sees its user''s rows only.';
COMMENT ON COLUMN chat.conversations.id IS 'The conversation''s id, as the session events carry it.';
COMMENT ON COLUMN chat.conversations.user_id IS 'The user who owns the conversation; the row-level security key.';
COMMENT ON COLUMN chat.conversations.title IS 'The conversation''s title; NULL until it has one.';
COMMENT ON COLUMN chat.conversations.status IS 'active while the conversation takes messages, closed after.';
COMMENT ON COLUMN chat.conversations.context IS
    'Conversation context (a JSON object), e.g. what the assistant is told about the conversation; {} if none.';
COMMENT ON COLUMN chat.conversations.metadata IS 'Free-form conversation metadata (a JSON object); {} if none.';
COMMENT ON COLUMN chat.conversations.message_count IS 'How many messages the conversation has.';
COMMENT ON COLUMN chat.conversations.created_at IS 'When the conversation started (its event''s time).';
COMMENT ON COLUMN chat.conversations.updated_at IS
    'When the conversation last changed; kept by trg_conversations_updated_at when an UPDATE does not set it.';

CREATE TABLE chat.messages (
    id              UUID         NOT NULL,
    conversation_id UUID         NOT NULL,
    user_id         UUID         NOT NULL,
    role            VARCHAR(20)  NOT NULL,
    content         TEXT         NOT NULL,
    model           VARCHAR(100),
    tokens_used     INTEGER      NOT NULL DEFAULT 0,
    metadata        JSONB        NOT NULL DEFAULT '{}',
    created_at      TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_messages PRIMARY KEY (id),
    -- Also makes user_id the conversation's owner, whatever the projector writes.
    CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id, user_id)
        REFERENCES chat.conversations (id, user_id) ON DELETE CASCADE,
    CONSTRAINT ck_messages_role CHECK (role IN ('user', 'assistant', 'system')),
    CONSTRAINT ck_messages_tokens_used CHECK (tokens_used >= 0),
    CONSTRAINT ck_messages_metadata CHECK (jsonb_typeof(metadata) = 'object')
);

-- A conversation's messages in order.
CREATE INDEX idx_messages_conversation_id_created_at_id ON chat.messages (conversation_id, created_at, id);
-- A user's messages: what the reader's policy selects when a query names no conversation.
CREATE INDEX idx_messages_user_id_created_at ON chat.messages (user_id, created_at);

COMMENT ON TABLE chat.messages IS
    'Individual messages within conversations. Projected from the event stream by projection-service; nothing '
    'else may write it. Row-level security: a reader sees its user''s rows only.';
COMMENT ON COLUMN chat.messages.id IS 'The message''s id, as MessagePosted carries it.';
COMMENT ON COLUMN chat.messages.conversation_id IS 'The conversation the message belongs to.';
COMMENT ON COLUMN chat.messages.user_id IS
    'The conversation''s owner (not the author: see role), denormalised so the row-level security policy needs '
    'no join; the foreign key on (conversation_id, user_id) keeps it equal to conversations.user_id.';
COMMENT ON COLUMN chat.messages.role IS 'Who wrote it: user, assistant or system.';
COMMENT ON COLUMN chat.messages.content IS 'The message text.';
COMMENT ON COLUMN chat.messages.model IS 'The model that generated the message; NULL for a human''s message.';
COMMENT ON COLUMN chat.messages.tokens_used IS 'Tokens the message counted for; 0 when not reported.';
COMMENT ON COLUMN chat.messages.metadata IS 'Free-form message metadata (a JSON object); {} if none.';
COMMENT ON COLUMN chat.messages.created_at IS 'When the message was posted (its event''s time).';

CREATE TABLE chat.usage_tracking (
    id              UUID           NOT NULL,
    user_id         UUID           NOT NULL,
    conversation_id UUID           NOT NULL,
    message_id      UUID,
    model           VARCHAR(255)   NOT NULL,
    input_tokens    INTEGER        NOT NULL,
    output_tokens   INTEGER        NOT NULL,
    total_tokens    INTEGER        NOT NULL,
    cost            NUMERIC(20, 10),
    currency        CHAR(3)        NOT NULL DEFAULT 'USD',
    created_at      TIMESTAMPTZ    NOT NULL,
    CONSTRAINT pk_usage_tracking PRIMARY KEY (id),
    -- RESTRICT keeps billing records: a user or conversation with charges cannot be deleted.
    CONSTRAINT fk_usage_tracking_user_id FOREIGN KEY (user_id) REFERENCES auth.users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_usage_tracking_conversation FOREIGN KEY (conversation_id, user_id)
        REFERENCES chat.conversations (id, user_id) ON DELETE RESTRICT,
    CONSTRAINT ck_usage_tracking_input_tokens CHECK (input_tokens >= 0),
    CONSTRAINT ck_usage_tracking_output_tokens CHECK (output_tokens >= 0),
    -- Each count is capped at 10^9 by the command side, so the sum cannot overflow.
    CONSTRAINT ck_usage_tracking_total_tokens CHECK (total_tokens = input_tokens + output_tokens),
    CONSTRAINT ck_usage_tracking_cost CHECK (cost >= 0),
    CONSTRAINT ck_usage_tracking_currency CHECK (currency ~ '^[A-Z]{3}$')
);

-- Usage per user per day (and model): a user's charges in a time range.
CREATE INDEX idx_usage_tracking_user_id_created_at ON chat.usage_tracking (user_id, created_at);
CREATE INDEX idx_usage_tracking_model ON chat.usage_tracking (model);
-- A conversation's charges; also what deleting a conversation checks.
CREATE INDEX idx_usage_tracking_conversation_id ON chat.usage_tracking (conversation_id);

COMMENT ON TABLE chat.usage_tracking IS
    'Token usage and cost, one row per LLM charge (TokenUsageRecorded). Projected from the event stream by '
    'projection-service; nothing else may write it. Row-level security: a reader sees its user''s rows only.';
COMMENT ON COLUMN chat.usage_tracking.id IS 'The charge''s id (the event''s usageId).';
COMMENT ON COLUMN chat.usage_tracking.user_id IS
    'The user charged: the conversation''s owner; the row-level security key.';
COMMENT ON COLUMN chat.usage_tracking.conversation_id IS 'The conversation the charge was made in.';
COMMENT ON COLUMN chat.usage_tracking.message_id IS
    'The message the charge belongs to; NULL when it belongs to no single message. No foreign key: the command '
    'side accepts only a message of the same session.';
COMMENT ON COLUMN chat.usage_tracking.model IS 'The model charged for.';
COMMENT ON COLUMN chat.usage_tracking.input_tokens IS 'Prompt tokens.';
COMMENT ON COLUMN chat.usage_tracking.output_tokens IS 'Completion tokens.';
COMMENT ON COLUMN chat.usage_tracking.total_tokens IS 'input_tokens + output_tokens.';
COMMENT ON COLUMN chat.usage_tracking.cost IS
    'What the charge cost, in currency; NULL when unknown (the model had no price), never a guessed 0.';
COMMENT ON COLUMN chat.usage_tracking.currency IS 'ISO 4217 code of cost''s currency.';
COMMENT ON COLUMN chat.usage_tracking.created_at IS 'When the charge was recorded (its event''s time).';

-- Row-level security. FORCE: the policies bind the tables' owner too (see the top of this file).
ALTER TABLE chat.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat.conversations FORCE ROW LEVEL SECURITY;
ALTER TABLE chat.messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat.messages FORCE ROW LEVEL SECURITY;
ALTER TABLE chat.usage_tracking ENABLE ROW LEVEL SECURITY;
ALTER TABLE chat.usage_tracking FORCE ROW LEVEL SECURITY;

-- The reader: its user's rows only. NULLIF: once a session has SET LOCAL the setting, it reads '' (not NULL)
-- in its later transactions, and ''::uuid would fail instead of matching nothing.
CREATE POLICY reader_own_rows ON chat.conversations FOR SELECT TO ${chatReader}
    USING (user_id = NULLIF(current_setting('transcript.user_id', true), '')::uuid);
CREATE POLICY reader_own_rows ON chat.messages FOR SELECT TO ${chatReader}
    USING (user_id = NULLIF(current_setting('transcript.user_id', true), '')::uuid);
CREATE POLICY reader_own_rows ON chat.usage_tracking FOR SELECT TO ${chatReader}
    USING (user_id = NULLIF(current_setting('transcript.user_id', true), '')::uuid);

-- The writer: every row, whichever user's.
CREATE POLICY writer_all_rows ON chat.conversations FOR ALL TO ${chatWriter} USING (true) WITH CHECK (true);
CREATE POLICY writer_all_rows ON chat.messages FOR ALL TO ${chatWriter} USING (true) WITH CHECK (true);
CREATE POLICY writer_all_rows ON chat.usage_tracking FOR ALL TO ${chatWriter} USING (true) WITH CHECK (true);

GRANT USAGE ON SCHEMA chat TO ${chatReader};
GRANT SELECT ON chat.conversations, chat.messages, chat.usage_tracking TO ${chatReader};

GRANT USAGE ON SCHEMA chat TO ${chatWriter};
GRANT SELECT, INSERT, UPDATE, DELETE ON chat.conversations, chat.messages, chat.usage_tracking TO ${chatWriter};
-- The projector projects auth.users too (no row-level security there: only the writer may read it at all).
GRANT USAGE ON SCHEMA auth TO ${chatWriter};
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.users TO ${chatWriter};
