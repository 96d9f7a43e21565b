package dev.transcript.projection.stream;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * Migrates each read-model schema with its own Flyway history ({@code <schema>.flyway_schema_history}),
 * from {@code classpath:db/<schema>}, before any listener starts: read models version independently.
 * A schema whose migrations need more configuration has it in {@code classpath:flyway/<schema>.properties}
 * (Flyway's {@code flyway.*} keys, e.g. {@code flyway.placeholders.chatReader}); a {@link SchemaPlaceholders}
 * bean overrides its placeholders.
 */
@Component
class ReadModelMigrations implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelMigrations.class);

    private final DataSource dataSource;
    private final List<String> schemas;
    private final List<SchemaPlaceholders> placeholders;

    ReadModelMigrations(DataSource dataSource, @Value("${transcript.projection.schemas}") List<String> schemas,
                        ObjectProvider<SchemaPlaceholders> placeholders) {
        this.dataSource = dataSource;
        this.schemas = schemas;
        this.placeholders = placeholders.orderedStream().toList();
    }

    @Override
    public void afterPropertiesSet() {
        for (String schema : schemas) {
            var result = Flyway.configure()
                    .configuration(configurationOf(schema))
                    .dataSource(dataSource)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .locations("classpath:db/" + schema)
                    .load()
                    .migrate();
            log.info("schema {}: {} migration(s) applied, now at {}", schema, result.migrationsExecuted,
                    result.targetSchemaVersion);
        }
    }

    /** {@code flyway/<schema>.properties} if there is one, with the placeholders of the beans for the schema over it. */
    private Properties configurationOf(String schema) {
        Properties configuration = new Properties();
        String resource = "flyway/" + schema + ".properties";
        try (InputStream in = ReadModelMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                configuration.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        placeholders.stream().filter(given -> given.schema().equals(schema))
                .forEach(given -> given.placeholders().forEach((name, value) ->
                        configuration.setProperty("flyway.placeholders." + name, value)));
        return configuration;
    }
}
