package dev.transcript.projection.stream;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.List;

/**
 * Migrates each read-model schema with its own Flyway history ({@code <schema>.flyway_schema_history}),
 * from {@code classpath:db/<schema>}, before any listener starts: read models version independently.
 */
@Component
class ReadModelMigrations implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelMigrations.class);

    private final DataSource dataSource;
    private final List<String> schemas;

    ReadModelMigrations(DataSource dataSource, @Value("${transcript.projection.schemas}") List<String> schemas) {
        this.dataSource = dataSource;
        this.schemas = schemas;
    }

    @Override
    public void afterPropertiesSet() {
        for (String schema : schemas) {
            var result = Flyway.configure()
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
}
