package dev.transcript.projection.stream;

import java.util.Map;

/**
 * Flyway placeholders a read model gives its schema's migrations, e.g. role names from Spring properties. They
 * override those of {@code classpath:flyway/<schema>.properties}; {@link ReadModelMigrations} collects them.
 */
public interface SchemaPlaceholders {

    String schema();

    /** Placeholder name → value, as {@code ${name}} appears in the migrations. */
    Map<String, String> placeholders();
}
