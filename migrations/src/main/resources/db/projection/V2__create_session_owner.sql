-- Facts a read model needs from an earlier event of the same aggregate but has no column for. Seed 001's
-- containers carry the owner's user_id, which only SessionStarted names, and its chat messages point at
-- the session's container; the builder read model remembers each session's user and conversation here.
-- Immutable facts, so any read model may write a row again (ON CONFLICT DO NOTHING) and a rebuild of one
-- read model never needs to clear them.
CREATE TABLE session_owner (
    session_id      UUID        NOT NULL,
    user_id         UUID        NOT NULL,
    conversation_id UUID        NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT pk_session_owner PRIMARY KEY (session_id)
);
