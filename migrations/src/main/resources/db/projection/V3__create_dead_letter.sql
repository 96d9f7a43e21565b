-- Every event a read model gave up, one row each, written in the transaction that moves its aggregate past it:
-- a dead-lettered event counts as handled for its aggregate's position, so its successors apply, and this row
-- is what says it was not applied (GET /api/projections/status counts them). A record that could not even be
-- read for its aggregate and sequence has them NULL (aggregate_id is then the record's key, if any).
-- One row per event and read model (its aggregate and sequence; for a record that names neither, its topic,
-- partition and offset): a redelivered poll that dead-letters the same event again adds nothing.
CREATE TABLE dead_letter (
    id               BIGSERIAL    NOT NULL,
    read_model       VARCHAR(64)  NOT NULL,
    aggregate_id     VARCHAR(255),
    sequence         BIGINT,
    event_id         VARCHAR(255),
    reason           TEXT         NOT NULL,
    source_topic     VARCHAR(255) NOT NULL,
    source_partition INTEGER      NOT NULL,
    source_offset    BIGINT       NOT NULL,
    dead_lettered_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT pk_dead_letter PRIMARY KEY (id)
);

CREATE UNIQUE INDEX uq_dead_letter_event ON dead_letter (read_model, aggregate_id, sequence)
    WHERE sequence IS NOT NULL;
CREATE UNIQUE INDEX uq_dead_letter_record ON dead_letter (read_model, source_topic, source_partition, source_offset)
    WHERE sequence IS NULL;

CREATE INDEX idx_dead_letter_aggregate ON dead_letter (read_model, aggregate_id, sequence);
