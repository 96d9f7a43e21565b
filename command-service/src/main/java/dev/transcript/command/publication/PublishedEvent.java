package dev.transcript.command.publication;

import dev.transcript.events.EventCatalog;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

/** Which stored event a publication failure is about, as an operator looks it up in the store. */
record PublishedEvent(String id, String aggregateId, long sequence, String type) {

    static PublishedEvent of(EventMessage<?> message) {
        String aggregateId = message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : "";
        long sequence = message instanceof DomainEventMessage<?> domain ? domain.getSequenceNumber() : -1;
        return new PublishedEvent(message.getIdentifier(), aggregateId, sequence, typeOf(message));
    }

    /** The event's type name; for an event the service cannot even read, the stored payload type. */
    private static String typeOf(EventMessage<?> message) {
        try {
            return EventCatalog.typeOf(message.getPayloadType()).typeName();
        } catch (RuntimeException unreadable) {
            return "unreadable (" + unreadable.getClass().getSimpleName() + ")";
        }
    }
}
