-- projection.dead_letter (db/projection V3) is bookkeeping written in the chat projector's transaction, as the
-- writer role, like the tables db/chat V2 grants (see there for why).
GRANT SELECT, INSERT, UPDATE, DELETE ON projection.dead_letter TO ${chatWriter};
GRANT USAGE ON SEQUENCE projection.dead_letter_id_seq TO ${chatWriter};
