package dev.transcript.events.contract;

import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;

import java.util.List;

/**
 * Transcript's keywords on top of JSON Schema 2020-12, for what its standard keywords cannot say:
 * {@code maxDepth}, {@code maxUtf8Bytes}, {@code maxEncodedBytes}, {@code storableText}, {@code decimal} and
 * {@code instantWithin}
 * (schemas/README.md describes each). Other validators ignore them as unknown keywords; this factory
 * asserts them.
 */
public final class ContractVocabulary {

    private ContractVocabulary() {
    }

    public static JsonSchemaFactory schemaFactory() {
        JsonMetaSchema standard = JsonMetaSchema.getV202012();
        JsonMetaSchema withOurs = JsonMetaSchema.builder(standard.getIri(), standard)
                .keywords(List.of(new MaxDepth(), new MaxUtf8Bytes(), new MaxEncodedBytes(), new StorableText(),
                        new Decimal(), new InstantWithin()))
                .build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, factory -> factory.metaSchema(withOurs));
    }
}
