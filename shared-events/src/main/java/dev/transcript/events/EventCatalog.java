package dev.transcript.events;

import dev.transcript.events.pipeline.PipelineEvent;
import dev.transcript.events.project.ProjectEvent;
import dev.transcript.events.session.MessagePostedV1;
import dev.transcript.events.session.SessionEvent;
import dev.transcript.events.session.TokenUsageRecordedV1;
import dev.transcript.events.task.TaskEvent;
import dev.transcript.events.user.UserEvent;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type Transcript publishes, read from the sealed hierarchies so that a new record cannot
 * be forgotten here.
 */
public final class EventCatalog {

    private static final List<Class<? extends TranscriptEvent>> HIERARCHIES =
            List.of(UserEvent.class, SessionEvent.class, ProjectEvent.class, TaskEvent.class, PipelineEvent.class);

    /** Versions replaced by a newer one, with the stream they belong to: read, upcast, never written. */
    private static final List<EventType> SUPERSEDED = List.of(
            superseded(MessagePostedV1.class, "session"),
            superseded(TokenUsageRecordedV1.class, "session"));

    private static final List<EventType> CURRENT = HIERARCHIES.stream()
            .flatMap(EventCatalog::typesOf)
            .toList();

    private static final List<EventType> ALL = java.util.stream.Stream.concat(CURRENT.stream(), SUPERSEDED.stream())
            .toList();

    private static final Map<String, EventType> BY_TYPE_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private EventCatalog() {
    }

    /** Every type that may be read, superseded versions included: each has a published schema. */
    public static List<EventType> all() {
        return ALL;
    }

    /** The types written today, one per event: what the command side publishes. */
    public static List<EventType> current() {
        return CURRENT;
    }

    public static EventType typeOf(Class<?> recordClass) {
        return ALL.stream()
                .filter(type -> type.recordClass().equals(recordClass))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(recordClass + " is not a Transcript event"));
    }

    public static Optional<EventType> byTypeName(String typeName) {
        return Optional.ofNullable(BY_TYPE_NAME.get(typeName));
    }

    @SuppressWarnings("unchecked")
    private static java.util.stream.Stream<EventType> typesOf(Class<? extends TranscriptEvent> hierarchy) {
        String stream = hierarchy.getSimpleName().replace("Event", "").toLowerCase(Locale.ROOT);
        return Arrays.stream(hierarchy.getPermittedSubclasses())
                .map(sub -> (Class<? extends TranscriptEvent>) sub)
                .map(sub -> new EventType(sub, stream, sub.getSimpleName(), versionOf(sub), true));
    }

    /** {@code MessagePostedV1} is published as {@code MessagePosted}, version 1. */
    private static EventType superseded(Class<? extends Superseded<?>> recordClass, String stream) {
        int version = versionOf(recordClass);
        String name = recordClass.getSimpleName().replaceFirst("V" + version + "$", "");
        return new EventType(recordClass, stream, name, version, false);
    }

    private static int versionOf(Class<?> recordClass) {
        EventVersion version = recordClass.getAnnotation(EventVersion.class);
        if (version == null) {
            throw new IllegalStateException(recordClass + " lacks @EventVersion");
        }
        return version.value();
    }
}
