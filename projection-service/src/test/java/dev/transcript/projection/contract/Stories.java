package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transcript.events.EventCatalog;
import dev.transcript.events.EventType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static java.util.Map.entry;

/**
 * Makes a {@link Story} of a candidate: every event of it is its type's baseline, a plain valid value per property
 * read from the schema, with the story's ids; the candidate's event has the candidate's value in its field. A
 * candidate that changes an id (a container id at its longest) changes it in the parents too, so that it is the
 * value, not a missing parent, that is tried.
 */
final class Stories {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String USER = "UserRegistered";
    private static final String SESSION = "SessionStarted";
    private static final String CONTAINER = "ContainerCreated";

    /** The events that come before each type in a valid history, oldest first (command-service's rules). */
    private static final Map<String, List<String>> PARENTS = Map.ofEntries(
            entry("UserRegistered", List.of()),
            entry("UserRoleChanged", List.of(USER)),
            entry("UserProfileChanged", List.of(USER)),
            entry("UserDeactivated", List.of(USER)),
            entry("UserReactivated", List.of(USER, "UserDeactivated")),
            entry("LoginOpened", List.of(USER)),
            entry("LoginTouched", List.of(USER, "LoginOpened")),
            entry("LoginClosed", List.of(USER, "LoginOpened")),
            entry("SessionStarted", List.of(USER)),
            entry("ChatSessionStarted", List.of(USER)),
            entry("SessionActivated", List.of(USER, SESSION)),
            entry("SessionExtended", List.of(USER, SESSION)),
            entry("SessionExpired", List.of(USER, SESSION)),
            entry("SessionFailed", List.of(USER, SESSION)),
            entry("SessionStopped", List.of(USER, SESSION)),
            entry("ConversationTitled", List.of(USER, SESSION)),
            entry("MessagePosted", List.of(USER, SESSION)),
            entry("CheckpointCreated", List.of(USER, SESSION, "MessagePosted")),
            entry("TokenUsageRecorded", List.of(USER, SESSION, "MessagePosted")),
            entry("ContainerCreated", List.of(USER, SESSION)),
            entry("ContainerStarted", List.of(USER, SESSION, CONTAINER)),
            entry("ContainerStopped", List.of(USER, SESSION, CONTAINER)),
            entry("ContainerFailed", List.of(USER, SESSION, CONTAINER)),
            entry("ContainerLabeled", List.of(USER, SESSION, CONTAINER)),
            entry("ContainerExposed", List.of(USER, SESSION, CONTAINER, "ContainerStarted")),
            entry("ContainerDeleted", List.of(USER, SESSION, CONTAINER, "ContainerStopped")),
            entry("FileStored", List.of(USER, SESSION, CONTAINER)),
            entry("FileDeleted", List.of(USER, SESSION, CONTAINER, "FileStored")),
            entry("ProjectCreated", List.of(USER, SESSION, CONTAINER)),
            entry("ProjectUpdated", List.of(USER, SESSION, CONTAINER, "ProjectCreated")),
            entry("ProjectArchived", List.of(USER, SESSION, CONTAINER, "ProjectCreated")),
            entry("ProjectDeleted", List.of(USER, SESSION, CONTAINER, "ProjectCreated")),
            entry("TaskCreated", List.of(USER)),
            entry("TaskRenamed", List.of(USER, "TaskCreated")),
            entry("TaskDescribed", List.of(USER, "TaskCreated")),
            entry("TaskCompleted", List.of(USER, "TaskCreated")),
            entry("TaskReopened", List.of(USER, "TaskCreated", "TaskCompleted")),
            entry("TaskDeleted", List.of(USER, "TaskCreated")),
            entry("PipelineStarted", List.of(USER)),
            entry("PipelineCompleted", List.of(USER, "PipelineStarted")),
            entry("PipelineFailed", List.of(USER, "PipelineStarted")));

    /** Which id each stream's events are keyed by. */
    private static final Map<String, String> AGGREGATE_ID = Map.of("user", "userId", "session", "sessionId",
            "project", "projectId", "task", "taskId", "pipeline", "executionId");

    /** Text the schema pins by a pattern, or the API by its own rule, as command-service writes it. */
    private static final Map<String, String> AS_WRITTEN = Map.of(
            "commitHash", "a1b2c3d4e5",
            "passwordHash", "$2a$04$abcdefghijklmnopqrstuuJ0kq3mZ1tXhB1m4c0o0Yl1bY2rG1dGm",
            "currency", "USD",
            "ipAddress", "203.0.113.9",
            "mimeType", "text/plain");

    /** Values unique per story (a unique column holds them), so that two stories never collide. */
    static final List<String> UNIQUE = List.of("containerId", "containerName", "email", "tokenSha256");

    private final Schemas schemas;
    private final Random random;

    Stories(Schemas schemas, Random random) {
        this.schemas = schemas;
        this.random = random;
    }

    Story of(Candidate candidate) {
        Map<String, String> ids = freshIds();
        if (candidate.changesAField() && ids.containsKey(idKey(candidate.field())) && candidate.value().isTextual()) {
            ids.put(idKey(candidate.field()), candidate.value().asText());
        }
        EventType type = EventCatalog.byTypeName(candidate.typeName()).orElseThrow();
        Map<String, Long> sequences = new HashMap<>();
        List<Story.Event> events = new ArrayList<>();
        for (String parent : PARENTS.get(type.name())) {
            EventType parentType = current(parent);
            events.add(event(parentType, baseline(parentType.typeName(), ids), ids, sequences));
        }
        ObjectNode data = baseline(candidate.typeName(), ids);
        if (candidate.changesAField()) {
            data.set(candidate.field(), candidate.value());
            keepTotals(data, candidate.field());
        }
        events.add(event(type, data, ids, sequences));
        return new Story(candidate, events);
    }

    /** A plain valid event of the type with these ids. */
    ObjectNode baseline(String typeName, Map<String, String> ids) {
        ObjectNode data = NODES.objectNode();
        schemas.of(typeName).path("properties").fields().forEachRemaining(property ->
                data.set(property.getKey(), plain(property.getKey(), property.getValue(), ids)));
        keepTotals(data, "*");
        return data;
    }

    private JsonNode plain(String field, JsonNode property, Map<String, String> ids) {
        if (ids.containsKey(idKey(field))) {
            return NODES.textNode(ids.get(idKey(field)));
        }
        if (property.has("enum")) {
            return property.get("enum").get(0);
        }
        var types = Candidates.typesOf(property);
        if (types.contains("string")) {
            return NODES.textNode(plainText(field, property));
        }
        if (types.contains("integer")) {
            return NODES.numberNode(Math.max(1, property.path("minimum").asLong(1)));
        }
        if (types.contains("number")) {
            return NODES.numberNode(new BigDecimal("1.5"));
        }
        if (types.contains("array")) {
            return NODES.arrayNode();
        }
        return property.path("additionalProperties").isObject()
                ? NODES.objectNode().put("env", "test") : NODES.objectNode().put("plain", true);
    }

    private static String plainText(String field, JsonNode property) {
        if (AS_WRITTEN.containsKey(field)) {
            return AS_WRITTEN.get(field);
        }
        return switch (property.path("format").asText("")) {
            case "date-time" -> "2026-03-02T10:00:00Z";
            case "uri" -> "https://example.com/plain";
            case "email" -> "plain@example.com";
            case "uuid" -> UUID.randomUUID().toString();
            default -> property.path("maxLength").asInt(Integer.MAX_VALUE) >= 5 ? "plain" : "p";
        };
    }

    private Story.Event event(EventType type, ObjectNode data, Map<String, String> ids, Map<String, Long> sequences) {
        String aggregateId = ids.get(AGGREGATE_ID.get(type.stream()));
        long sequence = sequences.merge(aggregateId, 0L, (last, zero) -> last + 1);
        return new Story.Event(type.typeName(), aggregateId, sequence, data);
    }

    private Map<String, String> freshIds() {
        Map<String, String> ids = new HashMap<>();
        for (String id : List.of("userId", "sessionId", "conversationId", "projectId", "taskId", "executionId",
                "loginId", "fileId", "checkpointId", "usageId", "messageId")) {
            ids.put(id, new UUID(random.nextLong(), random.nextLong()).toString());
        }
        ids.put("containerId", randomHex(32)); // Docker's 64 hex digits
        ids.put("tokenSha256", randomHex(32));
        ids.put("containerName", "sandbox-" + ids.get("sessionId"));
        ids.put("email", "ada+" + ids.get("userId") + "@example.com");
        return ids;
    }

    private String randomHex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /**
     * A charge's total is its input plus its output (command-service computes it, the read models check it): a
     * candidate for one of the three keeps the other two consistent, where they are integers at all.
     */
    private static void keepTotals(ObjectNode data, String field) {
        JsonNode input = data.get("inputTokens");
        JsonNode output = data.get("outputTokens");
        JsonNode total = data.get("totalTokens");
        if (total == null || !input.isNumber() || !output.isNumber() || !total.isNumber()) {
            return;
        }
        if (field.equals("totalTokens")) {
            data.set("inputTokens", total);
            data.put("outputTokens", 0);
        } else {
            data.put("totalTokens", input.decimalValue().add(output.decimalValue()));
        }
    }

    /** A message's id is the charge's chatMessageId: one key for both. */
    private static String idKey(String field) {
        return field.equals("chatMessageId") ? "messageId" : field;
    }

    private static EventType current(String name) {
        return EventCatalog.current().stream().filter(type -> type.name().equals(name)).findFirst().orElseThrow();
    }
}
