package dev.transcript.projection.contract;

import dev.transcript.projection.ProjectionServiceApplication;
import dev.transcript.projection.chatapp.ChatAppDatabase;
import dev.transcript.projection.chatapp.ChatAppProjector;
import dev.transcript.projection.stream.BatchApplier;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Projector;
import dev.transcript.projection.support.NoBroker;
import dev.transcript.testing.TestDatabase;
import dev.transcript.testing.TestMariaDb;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * projection-service as its application wires it, on a fresh PostgreSQL database, with chat_app on PostgreSQL or
 * on a fresh MariaDB database; no broker (records are handed to the decoder and the batch applier, as the
 * listeners hand them) and no drainer round during the test, so that what a poll parks stays parked to be seen.
 */
final class ProjectionUnderTest implements AutoCloseable {

    private final String name;
    private final TestDatabase database;
    private final TestMariaDb mariaDb;
    private final ConfigurableApplicationContext context;

    private ProjectionUnderTest(String name, TestDatabase database, TestMariaDb mariaDb,
                                ConfigurableApplicationContext context) {
        this.name = name;
        this.database = database;
        this.mariaDb = mariaDb;
        this.context = context;
    }

    /** @param mariaDb where chat_app lives, or null for PostgreSQL's schema chat_app */
    static ProjectionUnderTest start(String name, TestMariaDb mariaDb) {
        TestDatabase database = TestDatabase.create("contract");
        try {
            Map<String, String> properties = new LinkedHashMap<>(database.springProperties());
            if (mariaDb != null) {
                properties.put("transcript.projection.chat-app.datasource.url", mariaDb.jdbcUrl());
                properties.put("transcript.projection.chat-app.datasource.username", mariaDb.user());
                properties.put("transcript.projection.chat-app.datasource.password", mariaDb.password());
            }
            List<String> arguments = new ArrayList<>();
            properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
            for (String property : List.of(NoBroker.BOOTSTRAP, NoBroker.NO_LISTENER, NoBroker.NO_TOPICS)) {
                arguments.add("--" + property);
            }
            arguments.add("--transcript.projection.parked.drain-interval=1h");
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectionServiceApplication.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .run(arguments.toArray(String[]::new));
            return new ProjectionUnderTest(name, database, mariaDb, context);
        } catch (RuntimeException | Error e) {
            database.drop();
            throw e;
        }
    }

    Projector projector(String readModel) {
        return context.getBeansOfType(Projector.class).values().stream()
                .filter(projector -> projector.readModel().equals(readModel))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no read model " + readModel));
    }

    EnvelopeDecoder decoder() {
        return context.getBean(EnvelopeDecoder.class);
    }

    BatchApplier applier() {
        return context.getBean(BatchApplier.class);
    }

    /** The main database: bookkeeping and every read model but a chat_app that lives on MariaDB. */
    JdbcTemplate postgres() {
        return context.getBean(JdbcTemplate.class);
    }

    /** Where a read model's tables are: chat_app's own connection, the main database for the others. */
    JdbcTemplate tablesOf(String readModel) {
        return readModel.equals(ChatAppProjector.READ_MODEL) ? context.getBean(ChatAppDatabase.class).jdbc() : postgres();
    }

    boolean onMariaDb() {
        return mariaDb != null;
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            try {
                database.drop();
            } finally {
                if (mariaDb != null) {
                    mariaDb.drop();
                }
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
