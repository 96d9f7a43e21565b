package dev.transcript.projection.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.Optional;

/**
 * Which event a record is, when it cannot be decoded: the CloudEvent's top-level {@code id}, {@code type},
 * {@code subject} and {@code sequence}, read with a streaming parser that skips everything else. Skipping is a
 * loop, not a recursion, and has no depth limit here, so data nested far too deep to decode (past Jackson's
 * nesting limit, or deep enough to overflow a stack) still names its aggregate and sequence: the event can be
 * dead-lettered in its place and its aggregate move on.
 */
record RecordIdentity(String eventId, String type, String aggregateId, long sequence) {

    private static final JsonFactory SCANNER = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .build())
            .build();

    /** Empty when the record is not a JSON object with a subject and an integer sequence. */
    static Optional<RecordIdentity> of(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try (JsonParser parser = SCANNER.createParser(value)) {
            return parser.nextToken() == JsonToken.START_OBJECT ? scan(parser) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not even JSON: nothing names its aggregate
        }
    }

    private static Optional<RecordIdentity> scan(JsonParser parser) throws IOException {
        String id = null;
        String type = null;
        String subject = null;
        Long sequence = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "id" -> id = text(parser, value);
                case "type" -> type = text(parser, value);
                case "subject" -> subject = text(parser, value);
                case "sequence" -> sequence = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
                default -> parser.skipChildren();
            }
        }
        if (subject == null || sequence == null) {
            return Optional.empty();
        }
        return Optional.of(new RecordIdentity(id == null ? "" : id, type == null ? "" : type, subject, sequence));
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }
}
