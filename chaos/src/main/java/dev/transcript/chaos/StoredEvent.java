package dev.transcript.chaos;

import java.time.Instant;

/**
 * One row of eventstore.domain_event_entry, reduced to what reconciliation needs.
 *
 * @param type          the event class's simple name
 * @param entityId      the id the event created (see {@link Kind}), null for other types
 * @param messageNumber a MessagePosted's number, else 0
 * @param commandKey    the Idempotency-Key the load wrote into a message's content, else null
 */
record StoredEvent(String aggregateId, long sequence, String eventId, String type, String entityId,
                   int messageNumber, String commandKey, Instant at) {
}
