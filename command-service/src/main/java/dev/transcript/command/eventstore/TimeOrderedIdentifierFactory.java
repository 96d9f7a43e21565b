package dev.transcript.command.eventstore;

import dev.transcript.command.Ids;
import org.axonframework.common.IdentifierFactory;

/**
 * Axon's event identifiers (found through {@code META-INF/services}): UUIDv7 from {@link Ids}, instead of
 * {@code UUID.randomUUID()}, whose SecureRandom serialised every appending thread behind one lock.
 * Time-ordered ids also keep the event table's unique index on them growing at one end.
 */
public class TimeOrderedIdentifierFactory extends IdentifierFactory {

    @Override
    public String generateIdentifier() {
        return Ids.next().toString();
    }
}
