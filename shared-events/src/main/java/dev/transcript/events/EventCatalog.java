package dev.transcript.events;

import dev.transcript.events.session.SessionEvent;
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
            List.of(UserEvent.class, SessionEvent.class);

    private static final List<EventType> ALL = HIERARCHIES.stream()
            .flatMap(EventCatalog::typesOf)
            .toList();

    private static final Map<String, EventType> BY_TYPE_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private EventCatalog() {
    }

    public static List<EventType> all() {
        return ALL;
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
                .map(sub -> new EventType(sub, stream, versionOf(sub)));
    }

    private static int versionOf(Class<?> recordClass) {
        EventVersion version = recordClass.getAnnotation(EventVersion.class);
        if (version == null) {
            throw new IllegalStateException(recordClass + " lacks @EventVersion");
        }
        return version.value();
    }
}
