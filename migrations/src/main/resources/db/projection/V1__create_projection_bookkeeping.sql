-- Bookkeeping of the projections, kept outside the read-model schemas so that those hold exactly the
-- documented tables. Written in the same transaction as the read-model rows it accounts for.

-- The last event applied per aggregate and read model: a redelivered event (sequence at or below it) is
-- skipped, so delivering a record twice changes nothing.
CREATE TABLE aggregate_position (
    read_model    VARCHAR(64)  NOT NULL,
    aggregate_id  VARCHAR(255) NOT NULL,
    last_sequence BIGINT       NOT NULL,
    CONSTRAINT pk_aggregate_position PRIMARY KEY (read_model, aggregate_id)
);

-- Events that cannot be applied yet (their parent row is not there, an earlier event of the same
-- aggregate is waiting, or applying failed). Retried with back-off; never dropped: after max attempts
-- the head event goes to the dead-letter topic.
CREATE TABLE parked_event (
    id              BIGSERIAL    NOT NULL,
    read_model      VARCHAR(64)  NOT NULL,
    aggregate_id    VARCHAR(255) NOT NULL,
    sequence        BIGINT       NOT NULL,
    event_id        VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    cloud_event     BYTEA        NOT NULL,
    source_topic    VARCHAR(255) NOT NULL,
    source_partition INTEGER     NOT NULL,
    source_offset   BIGINT       NOT NULL,
    waiting_for     VARCHAR(255),
    reason          TEXT         NOT NULL,
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    parked_at       TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_parked_event PRIMARY KEY (id),
    CONSTRAINT uq_parked_event_event UNIQUE (read_model, event_id)
);

CREATE INDEX idx_parked_event_aggregate ON parked_event (read_model, aggregate_id, sequence);
CREATE INDEX idx_parked_event_due ON parked_event (read_model, next_attempt_at);
CREATE INDEX idx_parked_event_waiting_for ON parked_event (read_model, waiting_for);

-- How far each read model has got in each partition, for GET /api/projections/status.
CREATE TABLE partition_progress (
    read_model      VARCHAR(64)  NOT NULL,
    topic           VARCHAR(255) NOT NULL,
    partition       INTEGER      NOT NULL,
    next_offset     BIGINT       NOT NULL,
    last_event_time TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_partition_progress PRIMARY KEY (read_model, topic, partition)
);
