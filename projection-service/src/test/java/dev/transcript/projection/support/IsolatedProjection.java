package dev.transcript.projection.support;

import dev.transcript.projection.ProjectionServiceApplication;
import dev.transcript.projection.gateway.GatewayProjector;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.testing.TestDatabase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

/**
 * projection-service as its application wires it, on a fresh database of its own, with its Kafka listener not
 * started and no broker needed: records are handed to {@link RecordBatches} directly. Several can run side by
 * side, so the same records can be applied once here and twice there and the tables compared whole.
 */
public final class IsolatedProjection implements AutoCloseable {

    private final TestDatabase database;
    private final ConfigurableApplicationContext context;
    private final GatewayTables tables;

    private IsolatedProjection(TestDatabase database, ConfigurableApplicationContext context) {
        this.database = database;
        this.context = context;
        this.tables = new GatewayTables(context.getBean(JdbcTemplate.class));
    }

    public static IsolatedProjection start() {
        TestDatabase database = TestDatabase.create("projection_isolated");
        try {
            // Command-line arguments: they outrank application.yml, where default properties would not.
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectionServiceApplication.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .run(NoBroker.arguments(database.springProperties()).toArray(String[]::new));
            return new IsolatedProjection(database, context);
        } catch (RuntimeException e) {
            database.drop();
            throw e;
        }
    }

    /** Applies one poll, as the gateway listener would. */
    public void deliver(List<ConsumerRecord<String, byte[]>> poll) {
        context.getBean(RecordBatches.class).apply(context.getBean(GatewayProjector.class), poll);
    }

    public GatewayTables tables() {
        return tables;
    }

    public JdbcTemplate jdbc() {
        return context.getBean(JdbcTemplate.class);
    }

    /** The bookkeeping of the gateway read model: last sequence per aggregate, and what is parked. */
    public Map<String, Object> bookkeeping() {
        return Map.of(
                "aggregate_position", tables.rows("""
                        SELECT aggregate_id, last_sequence FROM projection.aggregate_position
                        WHERE read_model = 'gateway' ORDER BY aggregate_id"""),
                "parked_event", tables.rows("""
                        SELECT aggregate_id, sequence, reason FROM projection.parked_event
                        WHERE read_model = 'gateway' ORDER BY aggregate_id, sequence"""));
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            database.drop();
        }
    }
}
