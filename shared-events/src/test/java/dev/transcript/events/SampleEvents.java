package dev.transcript.events;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds a plausible instance of any event record, so every type can be serialized in a test. */
final class SampleEvents {

    private SampleEvents() {
    }

    static TranscriptEvent of(Class<? extends TranscriptEvent> recordClass) throws ReflectiveOperationException {
        RecordComponent[] components = recordClass.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = sample(components[i]);
        }
        return recordClass.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object sample(RecordComponent component) {
        Class<?> type = component.getType();
        String name = component.getName();
        if (type == UUID.class) {
            return UUID.nameUUIDFromBytes(name.getBytes());
        }
        if (type == Instant.class) {
            return Instant.parse("2026-01-23T10:15:30Z");
        }
        if (type == int.class || type == long.class) {
            return type == int.class ? (Object) 3 : (Object) 3L;
        }
        if (type == BigDecimal.class) {
            return new BigDecimal("1.5");
        }
        if (type == Map.class) {
            return Map.of(name + "Key", name + " value");
        }
        if (type == List.class) {
            return List.of(Map.of("name", name + " item"));
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return switch (name) {
            case "email" -> "ada@example.com";
            case "passwordHash" -> "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z9bQ9pZ3lQ7u0N1W1a6V5e7W";
            case "commitHash" -> "0a1b2c3d";
            case "tokenSha256" -> "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
            case "avatarUrl", "url" -> "https://example.com/" + name;
            case "ipAddress" -> "203.0.113.7";
            case "currency" -> "USD";
            default -> name + " sample";
        };
    }
}
