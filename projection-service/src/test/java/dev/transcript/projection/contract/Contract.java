package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transcript.events.EventContract;

/**
 * What the pipeline promises to carry: an event's data the contract allows may be published, and then every read
 * model must apply it; data it refuses is refused at the edge (command-service checks every event with the same
 * {@link EventContract} before appending it). One seam, so that a test may classify by another contract.
 */
interface Contract {

    /** The contract the property tests classify by: shared-events' validator, the one the edge enforces. */
    static Contract current() {
        return (typeName, data) -> EventContract.violations(typeName, data).isEmpty();
    }

    /** @param typeName the CloudEvents type, e.g. {@code transcript.session.MessagePosted.v2} */
    boolean allows(String typeName, JsonNode data);
}
