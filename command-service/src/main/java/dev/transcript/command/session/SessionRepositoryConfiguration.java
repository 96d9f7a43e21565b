package dev.transcript.command.session;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flat cost per command however long a session grows: a cache keeps hot sessions in memory, and a
 * snapshot every N events bounds what a cold load reads.
 */
@Configuration(proxyBeanMethods = false)
class SessionRepositoryConfiguration {

    @Bean
    SnapshotTriggerDefinition sessionSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${transcript.sessions.snapshot-every:250}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** Weak references: the JVM's memory pressure, not a size setting, decides how many sessions stay. */
    @Bean
    Cache sessionCache() {
        return new WeakReferenceCache();
    }
}
