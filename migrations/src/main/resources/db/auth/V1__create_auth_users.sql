-- auth.users: the users that seed 004's chat schema assumes ("PostgreSQL database with `auth` schema already
-- set up"; "This migration assumes the `auth.users` table already exists"). Transcript has no auth service
-- owning it: the table is projected from the user events like any read model, in schema `auth`, migrated
-- with its own history (auth.flyway_schema_history) and BEFORE db/chat, whose foreign keys reference it.
-- The seed lists no columns; ours are the least the chat schema needs (an id to reference, whether the
-- account is active) plus the email that identifies a user. No password hash: nothing here logs anyone in.
-- Nobody but the projector's role reads it; the chat read API's role gets no access (db/chat/V1).

COMMENT ON SCHEMA auth IS
    'Users assumed by the chat schema (seed 004), projected from the event stream by projection-service.';

CREATE TABLE users (
    id         UUID         NOT NULL,
    email      VARCHAR(255) NOT NULL,
    is_active  BOOLEAN      NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ  NOT NULL,
    updated_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT pk_users PRIMARY KEY (id),
    -- As registered: the command side already refuses an email that differs only in case.
    CONSTRAINT uq_users_email UNIQUE (email)
);

COMMENT ON TABLE users IS
    'One row per registered user (UserRegistered). Projected from the event stream by projection-service; '
    'nothing else may write it.';
COMMENT ON COLUMN users.id IS 'The user''s id, as the user events carry it.';
COMMENT ON COLUMN users.email IS
    'The email as registered; unique (the command side refuses one differing only in case).';
COMMENT ON COLUMN users.is_active IS
    'False between UserDeactivated and UserReactivated; true otherwise.';
COMMENT ON COLUMN users.created_at IS 'The time of the UserRegistered event.';
COMMENT ON COLUMN users.updated_at IS 'The time of the latest event that changed this row.';
