package dev.transcript.projection.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The contract as the checked-in JSON Schemas state it today, formats asserted (as EventSchemaContractTest does). */
final class SchemaContract implements Contract {

    private static final SchemaValidatorsConfig FORMATS_ASSERTED =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    private final Schemas schemas;
    private final Map<String, JsonSchema> validators = new ConcurrentHashMap<>();

    SchemaContract(Schemas schemas) {
        this.schemas = schemas;
    }

    @Override
    public boolean allows(String typeName, JsonNode data) {
        return validators.computeIfAbsent(typeName, name -> FACTORY.getSchema(schemas.of(name), FORMATS_ASSERTED))
                .validate(data).isEmpty();
    }
}
