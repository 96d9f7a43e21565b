package dev.transcript.command.session;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider;
import dev.transcript.command.eventstore.StoreCheckedCache;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.JCacheAdapter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.cache.CacheManager;
import javax.cache.Caching;
import java.net.URI;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Flat cost per command however long a session grows: a bounded cache keeps hot sessions in memory, and a
 * snapshot every N events bounds what a cold load reads. A cached session is used only while the store's
 * stream ends where it does ({@link StoreCheckedCache}): other instances append to the same sessions.
 */
@Configuration(proxyBeanMethods = false)
class SessionRepositoryConfiguration {

    @Bean
    SnapshotTriggerDefinition sessionSnapshotTrigger(Snapshotter snapshotter,
                                                     @Value("${transcript.sessions.snapshot-every:250}") int threshold) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }

    /** A cache manager of this context's own, so contexts in one JVM (tests) never share sessions. */
    @Bean(destroyMethod = "close")
    CacheManager sessionCacheManager() {
        return Caching.getCachingProvider(CaffeineCachingProvider.class.getName())
                .getCacheManager(URI.create("transcript:sessions:" + UUID.randomUUID()), getClass().getClassLoader());
    }

    /**
     * Bounded by count and held by reference (Caffeine through JCache). A weak-reference cache would lose
     * every session at each young collection, which under load means nearly every command reloads its
     * session from the snapshot and the events after it.
     */
    @Bean
    Cache sessionCache(CacheManager sessionCacheManager, JdbcTemplate jdbc,
                       @Value("${transcript.sessions.cache-size:20000}") long size,
                       @Value("${transcript.sessions.check-stream-head:true}") boolean checkStreamHead) {
        CaffeineConfiguration<Object, Object> configuration = new CaffeineConfiguration<>();
        configuration.setMaximumSize(OptionalLong.of(size));
        configuration.setStoreByValue(false);
        Cache cache = new JCacheAdapter(sessionCacheManager.createCache("sessions", configuration));
        // Unchecked only to measure what the check costs: a cached session would then outlive the store.
        return checkStreamHead ? new StoreCheckedCache(cache, jdbc) : cache;
    }
}
