package dev.transcript.command.eventstore;

import dev.transcript.events.EventVersion;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

/**
 * Stores an event's {@link EventVersion} as Axon's {@code payload_revision} ("2" for MessagePosted v2), so
 * that an upcaster can tell the versions apart in the store. Classes without it (snapshots, deadline
 * payloads, tokens) keep what Axon's own {@code @Revision} says: nothing, today.
 */
final class EventVersionRevisionResolver implements RevisionResolver {

    private final RevisionResolver axonRevisions = new AnnotationRevisionResolver();

    @Override
    public String revisionOf(Class<?> payloadType) {
        EventVersion version = payloadType.getAnnotation(EventVersion.class);
        return version != null ? Integer.toString(version.value()) : axonRevisions.revisionOf(payloadType);
    }
}
