package dev.transcript.events.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AbstractJsonValidator;
import com.networknt.schema.AbstractKeyword;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;

import java.text.MessageFormat;
import java.util.List;
import java.util.Set;

/**
 * A keyword of Transcript's vocabulary: looks at the whole instance under it and reports at most one
 * problem, located where it was found (a NUL deep inside metadata is reported there, not at metadata).
 */
abstract class InstanceKeyword extends AbstractKeyword {

    /** @param at the problem's location below the instance: property names and array indexes */
    record Problem(List<Object> at, String message) {
    }

    InstanceKeyword(String name) {
        super(name);
    }

    /** The problem with {@code instance} under the keyword's value {@code limit}, or null if none. */
    abstract Problem problem(JsonNode limit, JsonNode instance);

    @Override
    public JsonValidator newValidator(SchemaLocation schemaLocation, JsonNodePath evaluationPath, JsonNode schemaNode,
                                      JsonSchema parentSchema, ValidationContext validationContext) {
        return new Validator(schemaLocation, evaluationPath, schemaNode);
    }

    private final class Validator extends AbstractJsonValidator {

        Validator(SchemaLocation schemaLocation, JsonNodePath evaluationPath, JsonNode limit) {
            super(schemaLocation, evaluationPath, InstanceKeyword.this, limit);
        }

        @Override
        public Set<ValidationMessage> validate(ExecutionContext context, JsonNode node, JsonNode rootNode,
                                               JsonNodePath instanceLocation) {
            Problem problem = problem(getSchemaNode(), node);
            if (problem == null) {
                return Set.of();
            }
            JsonNodePath location = instanceLocation;
            for (Object step : problem.at()) {
                location = step instanceof Integer index ? location.append(index) : location.append((String) step);
            }
            return Set.of(ValidationMessage.builder()
                    .type(getValue())
                    .code(getValue())
                    .evaluationPath(getEvaluationPath())
                    .schemaLocation(getSchemaLocation())
                    .instanceLocation(location)
                    .instanceNode(node)
                    .schemaNode(getSchemaNode())
                    .arguments(problem.message())
                    .format(new MessageFormat("{0}: {1}"))
                    .build());
        }
    }
}
