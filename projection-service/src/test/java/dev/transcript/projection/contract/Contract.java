package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the pipeline promises to carry: an event's data the contract allows may be published, and then every read
 * model must apply it; data it refuses must be refused at the edge. One small seam, so that the property test can
 * be switched from the bare JSON Schemas ({@link SchemaContract}) to shared-events' own validator, which adds the
 * limits JSON Schema cannot state (depth, encoded size, NUL, unpaired surrogates).
 */
interface Contract {

    /** The contract the property tests classify by: switch here to shared-events' validator. */
    static Contract current() {
        return new SchemaContract(new Schemas());
    }

    /** @param typeName the CloudEvents type, e.g. {@code transcript.session.MessagePosted.v2} */
    boolean allows(String typeName, JsonNode data);
}
