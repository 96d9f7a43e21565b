package dev.transcript.command.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.transaction.TransactionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * Axon's JDBC event store on the Flyway-made schema {@code eventstore}, in snake_case. Axon's own schema
 * generation is never used: these names must match {@code db/eventstore/V1__create_event_store.sql}.
 */
@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    static final String SCHEMA = "eventstore.";

    @Bean
    EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable(SCHEMA + "domain_event_entry")
                .snapshotTable(SCHEMA + "snapshot_event_entry")
                .globalIndexColumn("global_index")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .timestampColumn("time_stamp")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    /**
     * Replaces Axon's default (its {@code @Revision} annotation, which our events don't carry): the
     * auto-configured serializers take this bean, so every event is stored with its {@code @EventVersion}.
     */
    @Bean
    RevisionResolver revisionResolver() {
        return new EventVersionRevisionResolver();
    }

    @Bean
    TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable(SCHEMA + "token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("time_stamp")
                .setOwnerColumn("owner")
                .build();
    }

    /**
     * Axon names a claim's owner by the JVM's "pid@host", which two instances share when they run in one JVM
     * (tests) or in containers with the same host name and pid: each would then take the publisher's claim as
     * its own and both would publish every event. A name of each instance's own keeps one publisher.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, TokenSchema tokenSchema, Serializer serializer,
                          TokenStoreProperties properties) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(tokenSchema)
                .serializer(serializer)
                .claimTimeout(properties.getClaimTimeout())
                .nodeId(ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID())
                .build();
    }

    /** Replaces Axon's JDBC default, which does not recognise PostgreSQL's duplicate key (see the class). */
    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new DuplicateSequences();
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration axon,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          EventSchema eventSchema,
                                          EventStoreProperties properties,
                                          TransactionProperties transactions,
                                          DataSource dataSource) {
        requireGapTimeoutFarBeyondAppendDeadline(properties.gapTimeout(), transactions.getDefaultTimeout());
        AppendDeadline deadline = new AppendDeadline(dataSource);
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                // The publisher reads the store in pages of this many events; 100 (Axon's default) made a
                // backlog take five round trips per processor batch.
                .batchSize(500)
                .gapTimeout(Math.toIntExact(properties.gapTimeout().toMillis()))
                .maxGapOffset(properties.maxGapOffset())
                .appendEvents((connection, schema, dataType, events, serializer, timestampWriter) -> {
                    deadline.guardCurrentTransaction();
                    return JdbcEventStorageEngineStatements.appendEvents(
                            connection, schema, dataType, events, serializer, timestampWriter);
                })
                .build();
    }

    /** The guarantee of {@link AppendDeadline} holds only with a wide margin between the two. */
    static void requireGapTimeoutFarBeyondAppendDeadline(Duration gapTimeout, Duration appendDeadline) {
        if (appendDeadline == null || appendDeadline.isZero() || appendDeadline.isNegative()) {
            throw new IllegalStateException(
                    "spring.transaction.default-timeout must be set: it bounds how long an append may stay uncommitted");
        }
        if (gapTimeout.compareTo(appendDeadline.multipliedBy(4)) < 0) {
            throw new IllegalStateException("transcript.eventstore.gap-timeout (" + gapTimeout
                    + ") must be at least 4 x spring.transaction.default-timeout (" + appendDeadline + ")");
        }
    }
}
