package dev.transcript.projection.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.transcript.projection.ProjectionServiceApplication;
import dev.transcript.projection.chatapp.ChatAppDatabase;
import dev.transcript.projection.chatapp.ChatAppProjector;
import dev.transcript.projection.stream.BatchApplier;
import dev.transcript.projection.stream.EnvelopeDecoder;
import dev.transcript.projection.stream.Outcome;
import dev.transcript.projection.stream.RecordBatches;
import dev.transcript.testing.TestDatabase;
import dev.transcript.testing.TestMariaDb;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * projection-service as its application wires it, with chat_app on one engine: PostgreSQL (schema
 * {@code chat_app} of the main database, the default) or MariaDB (a fresh {@link TestMariaDb} named by
 * {@code transcript.projection.chat-app.datasource.url}, nothing else set). The bookkeeping is always in a fresh
 * PostgreSQL database of its own. No broker: records are handed to {@link RecordBatches} directly.
 */
public final class ChatAppProjection implements AutoCloseable {

    /** Where chat_app's tables are. */
    public enum Engine {
        POSTGRESQL, MARIADB
    }

    private final Engine engine;
    private final TestDatabase database;
    private final TestMariaDb mariaDb;
    private final ConfigurableApplicationContext context;
    private final ChatAppTables tables;

    private ChatAppProjection(Engine engine, TestDatabase database, TestMariaDb mariaDb,
                              ConfigurableApplicationContext context) {
        this.engine = engine;
        this.database = database;
        this.mariaDb = mariaDb;
        this.context = context;
        this.tables = new ChatAppTables(context.getBean(ChatAppDatabase.class));
    }

    /** Starts one; on MariaDB, skips the calling test where no MariaDB answers (before anything is created). */
    public static ChatAppProjection start(Engine engine) {
        TestMariaDb mariaDb = engine == Engine.MARIADB ? TestMariaDb.create("chat_app") : null;
        TestDatabase database = null;
        try {
            database = TestDatabase.create("chat_app_bookkeeping");
            Map<String, String> properties = new LinkedHashMap<>(database.springProperties());
            if (mariaDb != null) {
                properties.put("transcript.projection.chat-app.datasource.url", mariaDb.jdbcUrl());
                properties.put("transcript.projection.chat-app.datasource.username", mariaDb.user());
                properties.put("transcript.projection.chat-app.datasource.password", mariaDb.password());
            }
            // Command-line arguments: they outrank application.yml, where default properties would not.
            ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectionServiceApplication.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .run(NoBroker.arguments(properties).toArray(String[]::new));
            return new ChatAppProjection(engine, database, mariaDb, context);
        } catch (RuntimeException | Error e) {
            if (database != null) {
                database.drop();
            }
            if (mariaDb != null) {
                mariaDb.drop();
            }
            throw e;
        }
    }

    public Engine engine() {
        return engine;
    }

    /**
     * Applies one poll, as the chat_app listener would, and fails if the poll could not be applied in one go (the
     * batch applier fell back to applying it event by event: some statement failed on this engine).
     */
    public void deliver(List<ConsumerRecord<String, byte[]>> poll) {
        int before = FALLBACKS.attached().count();
        context.getBean(RecordBatches.class).apply(projector(), poll);
        if (FALLBACKS.count() != before) {
            throw new AssertionError(this + ": the poll was applied event by event: " + FALLBACKS.last());
        }
    }

    /**
     * Applies one poll that holds an event this engine refuses: the batch applier must fall back to applying it
     * event by event (each under a savepoint), parking the refused event and applying the others.
     */
    public void deliverWithARefusedEvent(List<ConsumerRecord<String, byte[]>> poll) {
        int before = FALLBACKS.attached().count();
        context.getBean(RecordBatches.class).apply(projector(), poll);
        if (FALLBACKS.count() == before) {
            throw new AssertionError(this + ": the poll was applied in one go, no event refused");
        }
    }

    /** Counts the batch applier's "applying it event by event" warnings about chat_app. */
    private static final class Fallbacks extends AppenderBase<ILoggingEvent> {

        private final List<String> messages = new ArrayList<>();

        Fallbacks() {
            setName("chat-app-fallbacks");
        }

        /** Attached (and started) again when needed: a context's start resets Logback, detaching and stopping every appender. */
        synchronized Fallbacks attached() {
            Logger logger = (Logger) LoggerFactory.getLogger(BatchApplier.class);
            if (logger.getAppender(getName()) != this) {
                setContext(logger.getLoggerContext());
                logger.addAppender(this);
            }
            if (!isStarted()) {
                start();
            }
            return this;
        }

        @Override
        protected synchronized void append(ILoggingEvent event) {
            if (event.getFormattedMessage().startsWith(ChatAppProjector.READ_MODEL + ":")) {
                messages.add(event.getFormattedMessage());
            }
        }

        synchronized int count() {
            return messages.size();
        }

        synchronized String last() {
            return messages.getLast();
        }
    }

    private static final Fallbacks FALLBACKS = new Fallbacks();

    /** Has the projector apply the event on its own, past the bookkeeping, in a transaction as a poll's. */
    public Outcome applyDirectly(Published event) {
        EnvelopeDecoder decoder = context.getBean(EnvelopeDecoder.class);
        return context.getBean(TransactionTemplate.class)
                .execute(status -> projector().apply(decoder.decode(event.consumerRecord())));
    }

    public ChatAppProjector projector() {
        return context.getBean(ChatAppProjector.class);
    }

    public ChatAppTables tables() {
        return tables;
    }

    public ChatAppDatabase chatApp() {
        return context.getBean(ChatAppDatabase.class);
    }

    /** The main PostgreSQL database: the bookkeeping (and chat_app's schema when it lives there). */
    public JdbcTemplate postgres() {
        return context.getBean(JdbcTemplate.class);
    }

    public Long lastSequenceOf(String aggregateId) {
        return postgres().query("""
                SELECT last_sequence FROM projection.aggregate_position WHERE read_model = ? AND aggregate_id = ?""",
                rs -> rs.next() ? rs.getLong(1) : null, ChatAppProjector.READ_MODEL, aggregateId);
    }

    /** The aggregate's parked events: sequence and what each waits for, in order. */
    public List<Map<String, Object>> parkedOf(String aggregateId) {
        List<Map<String, Object>> parked = new ArrayList<>();
        postgres().queryForList("""
                SELECT sequence, waiting_for FROM projection.parked_event WHERE read_model = ? AND aggregate_id = ?
                ORDER BY sequence""", ChatAppProjector.READ_MODEL, aggregateId)
                .forEach(row -> parked.add(new LinkedHashMap<>(row)));
        return parked;
    }

    /** Why the aggregate's events are parked, in order. */
    public List<String> parkedReasonsOf(String aggregateId) {
        return postgres().queryForList("""
                SELECT reason FROM projection.parked_event WHERE read_model = ? AND aggregate_id = ? ORDER BY sequence""",
                String.class, ChatAppProjector.READ_MODEL, aggregateId);
    }

    /** How many chat_app events are parked, of any aggregate. */
    public long parked() {
        Long count = postgres().queryForObject("SELECT count(*) FROM projection.parked_event WHERE read_model = ?",
                Long.class, ChatAppProjector.READ_MODEL);
        return count == null ? 0 : count;
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
        return "chat_app on " + engine;
    }
}
