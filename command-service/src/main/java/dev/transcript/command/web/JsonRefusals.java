package dev.transcript.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.springframework.lang.Nullable;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A body Jackson refused, as the field it refused and why. Jackson states what went wrong only in its
 * exception types and messages; the field comes from the mapping path, or for a refusal by the parser
 * itself (a duplicate key, a nesting too deep, a number too long) from the parser's position.
 */
final class JsonRefusals {

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(Integer.class, int.class, Long.class, long.class,
            Short.class, short.class, Byte.class, byte.class, BigInteger.class);

    private JsonRefusals() {
    }

    /** The field and message for a refused body, or empty when Jackson does not say where it failed. */
    static Optional<Map<String, String>> fieldError(Throwable failure) {
        JsonMappingException mapping = find(failure, JsonMappingException.class);
        JsonProcessingException root = find(failure, JsonProcessingException.class, true);
        String field = mapping != null && !mapping.getPath().isEmpty() ? pathOf(mapping)
                : refusedByParser(root) ? positionOf(root) : null; // a syntax error names no field
        if (field == null || field.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Map.of("field", field, "message", messageFor(mapping, root)));
    }

    /** A limit of the parser or a duplicate key, as opposed to JSON that does not parse. */
    private static boolean refusedByParser(@Nullable JsonProcessingException root) {
        return root instanceof StreamConstraintsException || isDuplicateKey(root);
    }

    private static boolean isDuplicateKey(@Nullable JsonProcessingException root) {
        return root != null && root.getOriginalMessage() != null && root.getOriginalMessage().startsWith("Duplicate field");
    }

    private static String messageFor(@Nullable JsonMappingException mapping, @Nullable JsonProcessingException root) {
        if (mapping instanceof InvalidFormatException format && format.getTargetType() == String.class) {
            return "must not contain an unpaired surrogate";
        }
        if (mapping instanceof InvalidFormatException format && format.getTargetType().isEnum()) {
            return "must be one of " + List.of(format.getTargetType().getEnumConstants()).toString().toLowerCase();
        }
        if (root instanceof InputCoercionException) {
            return "is out of range for its type";
        }
        if (root instanceof StreamConstraintsException limit) {
            return "exceeds a limit of the parser: " + limit.getOriginalMessage().replaceAll(", from `.*`", "");
        }
        if (isDuplicateKey(root)) {
            return "appears twice";
        }
        if (mapping instanceof MismatchedInputException mismatch && WHOLE_NUMBERS.contains(mismatch.getTargetType())) {
            return "must be a whole number within range";
        }
        return "has the wrong type";
    }

    private static String pathOf(JsonMappingException mapping) {
        return mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Where the parser stood, as a dotted path ({@code metadata.a}); null when it stood at the top. */
    @Nullable
    private static String positionOf(@Nullable JsonProcessingException parsing) {
        if (parsing == null || !(parsing.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        return pointer.isEmpty() ? null : pointer.substring(1).replace('/', '.');
    }

    @Nullable
    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        return find(failure, type, false);
    }

    /** The outermost (or with {@code deepest}, the innermost) cause of the given type. */
    @Nullable
    private static <T extends Throwable> T find(Throwable failure, Class<T> type, boolean deepest) {
        T found = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                found = type.cast(cause);
                if (!deepest) {
                    return found;
                }
            }
        }
        return found;
    }
}
