package dev.transcript.command.eventstore;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.AggregateCacheEntry;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An aggregate cache that never hands out an aggregate the store has moved past, or no longer holds. Each
 * command that finds its aggregate cached first reads the head of the aggregate's stream, one index-only
 * lookup on the (aggregate_identifier, sequence_number) unique index, and when it differs from the cached
 * version the entry is dropped, so the repository loads what the store holds.
 *
 * <p>Without it a cached aggregate outlives the store: another instance appends, or the database loses its
 * last commits, and the stale copy either collides on its next append or, worse, refuses a command on state
 * that is no longer true (a session "expired" that another instance extended), appending nothing, so no
 * conflict ever shows it. Races between this check and the append are left to the unique index: they end
 * in Axon's {@code ConcurrencyException}, the unit of work's rollback evicts the entry, and the command is
 * retried once.
 */
public final class StoreCheckedCache implements Cache {

    /**
     * Axon keeps the version an entry was cached at private. Looked up once, so an Axon upgrade that renames
     * the field stops the service at start-up rather than letting stale entries through.
     */
    private static final VarHandle CACHED_VERSION = cachedVersionHandle();

    private final Cache cache;
    private final JdbcTemplate jdbc;

    public StoreCheckedCache(Cache cache, JdbcTemplate jdbc) {
        this.cache = cache;
        this.jdbc = jdbc;
    }

    @Override
    public <K, V> V get(K key) {
        V cached = cache.get(key);
        if (cached instanceof AggregateCacheEntry<?> entry
                && !Objects.equals(CACHED_VERSION.get(entry), streamHead(key.toString()))) {
            cache.remove(key);
            return null;
        }
        return cached;
    }

    /** The highest sequence stored for the aggregate, null for none; inside the command's transaction. */
    private Long streamHead(String aggregateIdentifier) {
        return jdbc.queryForObject(
                "SELECT max(sequence_number) FROM eventstore.domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateIdentifier);
    }

    @Override
    public void put(Object key, Object value) {
        cache.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return cache.putIfAbsent(key, value);
    }

    @Override
    public boolean remove(Object key) {
        return cache.remove(key);
    }

    @Override
    public void removeAll() {
        cache.removeAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return cache.containsKey(key);
    }

    @Override
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        cache.computeIfPresent(key, update);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
        return cache.registerCacheEntryListener(listener);
    }

    private static VarHandle cachedVersionHandle() {
        try {
            return MethodHandles.privateLookupIn(AggregateCacheEntry.class, MethodHandles.lookup())
                    .findVarHandle(AggregateCacheEntry.class, "version", Long.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Axon's AggregateCacheEntry no longer has its version field", e);
        }
    }
}
