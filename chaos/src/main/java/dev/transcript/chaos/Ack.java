package dev.transcript.chaos;

import java.time.Instant;

/**
 * A command the service acknowledged with a 2xx answer carrying the id it created.
 *
 * @param aggregateId   the stream it went to: the user for USER, else the session
 * @param entityId      the id the answer named (user, session, message, usage or checkpoint id)
 * @param messageNumber the number a MESSAGE was given; 0 for other kinds
 * @param tokens        input + output tokens of a TOKEN_USAGE; 0 for other kinds
 * @param at            when the acknowledgement arrived
 */
record Ack(Kind kind, String aggregateId, String entityId, int messageNumber, long tokens, Instant at) {
}
