-- Tables that the command side's rules need, written in the same transaction as the events they guard.

-- Emails are unique case-insensitively across all users, also under concurrent registrations.
CREATE TABLE claimed_email (
    email      VARCHAR(255) NOT NULL,
    user_id    UUID         NOT NULL,
    claimed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_claimed_email PRIMARY KEY (email),
    CONSTRAINT uq_claimed_email_user_id UNIQUE (user_id),
    CONSTRAINT ck_claimed_email_lower CHECK (email = lower(email))
);

-- Container names are unique across sessions, as the gateway read model's unique index demands.
CREATE TABLE claimed_container_name (
    container_name VARCHAR(255) NOT NULL,
    session_id     UUID         NOT NULL,
    claimed_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_claimed_container_name PRIMARY KEY (container_name)
);

-- A retried POST with the same Idempotency-Key gets the first answer and appends nothing new. The key is
-- claimed, and the command's result stored, in the command's own transaction.
CREATE TABLE idempotency_key (
    idempotency_key VARCHAR(255) NOT NULL,
    fingerprint     VARCHAR(64)  NOT NULL,
    result_type     VARCHAR(255),
    result_json     TEXT,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_idempotency_key PRIMARY KEY (idempotency_key)
);

COMMENT ON COLUMN idempotency_key.fingerprint IS
    'SHA-256 of method, path and body: the same key with another request is refused, not replayed.';
COMMENT ON COLUMN idempotency_key.result_json IS
    'What the command answered, as JSON of result_type; replayed to every retry.';
