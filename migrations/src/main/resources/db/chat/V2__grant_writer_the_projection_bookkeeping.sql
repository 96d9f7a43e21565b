-- The projector's role may also keep projection-service's bookkeeping (schema `projection`, db/projection).
--
-- Why: projection-service applies a batch of chat events and its bookkeeping (positions per aggregate, parked
-- events, partition progress, session owners) in ONE transaction, switched to ${chatWriter} from its start
-- (SET LOCAL ROLE: stream/Projector.role(), applied by BatchApplier and ParkedEventDrainer). Every statement of
-- that transaction runs as the writer, the bookkeeping's included, and exactly-once depends on both committing
-- together, so the writer needs these rows too.
-- Why here: db/projection migrates first (before every read model) and cannot grant to a role that db/chat
-- creates later, nor knows its name (a placeholder of db/chat). So db/chat needs db/projection migrated before
-- it, as it needs db/auth; projection-service migrates projection first, then auth, then chat.
-- The tables are named one by one, not ALL TABLES: the writer gets no hold on projection.flyway_schema_history.
-- A bookkeeping table added to db/projection later needs its grant in a later db/chat version (the chat
-- projector's tests, which write as the writer, fail until it has one).
-- What it opens: the writer can read and write every read model's bookkeeping rows, not only read_model = 'chat'.
-- It is the projector's role; the read API's role (${chatReader}) gets nothing here.

DO $$
BEGIN
    IF to_regnamespace('projection') IS NULL THEN
        RAISE EXCEPTION 'db/chat V2 grants on schema projection: migrate db/projection before db/chat';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA projection TO ${chatWriter};
GRANT SELECT, INSERT, UPDATE, DELETE
    ON projection.aggregate_position, projection.parked_event, projection.partition_progress,
       projection.session_owner
    TO ${chatWriter};
-- parked_event.id is a BIGSERIAL: nextval needs USAGE on its sequence.
GRANT USAGE ON SEQUENCE projection.parked_event_id_seq TO ${chatWriter};
