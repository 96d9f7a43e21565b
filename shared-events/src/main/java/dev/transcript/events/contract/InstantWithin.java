package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code "instantWithin": [earliest, latest]}: a date-time lies in this range (both RFC 3339, inclusive). chat_app on
 * MariaDB keeps times as {@code TIMESTAMP(6)}, which holds 1970-01-01T00:00:01Z … 2038-01-19T03:14:07.999999Z only;
 * an instant outside it could not be stored there. A value that is not a date-time is {@code format}'s to refuse.
 */
final class InstantWithin extends InstanceKeyword {

    InstantWithin() {
        super("instantWithin");
    }

    @Override
    Problem problem(JsonNode limit, JsonNode instance) {
        if (!instance.isTextual()) {
            return null;
        }
        Instant value;
        try {
            value = OffsetDateTime.parse(instance.textValue()).toInstant();
        } catch (DateTimeParseException notADateTime) {
            return null;
        }
        Instant earliest = Instant.parse(limit.get(0).asText());
        Instant latest = Instant.parse(limit.get(1).asText());
        return value.isBefore(earliest) || value.isAfter(latest)
                ? new Problem(List.of(), "is outside " + earliest + " … " + latest)
                : null;
    }
}
