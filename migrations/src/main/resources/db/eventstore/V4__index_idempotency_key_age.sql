-- Idempotency keys are kept for a retention period (transcript.idempotency.retention, 24 h by default) and then
-- deleted by age: this index lets the sweep find old keys without reading the whole table.
CREATE INDEX ix_idempotency_key_created_at ON idempotency_key (created_at);
