package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalListener;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * Every in-memory cache of keyledger, bounded twice: by entries and by estimated bytes. Each
 * entry weighs at least one "slot" ({@code maxBytes / maxEntries}), so the entry bound holds,
 * and at least its own estimated size, so a few large entries cannot exceed the byte bound.
 * Nothing a caller sends can make a cache grow past either.
 */
public final class BoundedCache {

    /** Rough per-entry cost of the map node, the key object and the value object. */
    static final long ENTRY_OVERHEAD_BYTES = 160;

    private BoundedCache() {
    }

    /** Bytes a string costs on the heap, roughly (Latin-1 compact strings: one byte a char). */
    public static long bytes(String value) {
        return value == null ? 0 : 48L + value.length() * 2L;
    }

    /** As {@link #build}, but an entry lives {@code idle} after its last use, on the given ticker. */
    public static <K, V> Cache<K, V> buildIdle(long maxEntries, long maxBytes, Duration idle,
            ToLongFunction<V> valueBytes, ToLongFunction<K> keyBytes, Ticker ticker) {
        long slot = Math.max(1, maxBytes / maxEntries);
        return Caffeine.newBuilder().ticker(ticker).maximumWeight(maxBytes)
                .<K, V>weigher((key,
                        value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(slot,
                                ENTRY_OVERHEAD_BYTES + keyBytes.applyAsLong(key) + valueBytes.applyAsLong(value))))
                .expireAfterAccess(idle).build();
    }

    public static <K, V> Cache<K, V> build(long maxEntries, long maxBytes, Duration ttl, ToLongFunction<V> valueBytes,
            ToLongFunction<K> keyBytes) {
        return builder(maxEntries, maxBytes, ttl, valueBytes, keyBytes, null, Ticker.systemTicker()).build();
    }

    static <K, V> Caffeine<K, V> builder(long maxEntries, long maxBytes, Duration ttl, ToLongFunction<V> valueBytes,
            ToLongFunction<K> keyBytes, RemovalListener<K, V> evictionListener, Ticker ticker) {
        if (maxEntries < 1 || maxBytes < maxEntries) {
            throw new IllegalArgumentException("cache bounds must allow at least one byte per entry");
        }
        long slot = Math.max(1, maxBytes / maxEntries);
        Caffeine<K, V> builder = Caffeine.newBuilder().ticker(ticker).maximumWeight(maxBytes)
                .<K, V>weigher((key,
                        value) -> (int) Math.min(Integer.MAX_VALUE, Math.max(slot,
                                ENTRY_OVERHEAD_BYTES + keyBytes.applyAsLong(key) + valueBytes.applyAsLong(value))))
                .expireAfterWrite(ttl);
        if (evictionListener != null) {
            builder = builder.evictionListener(evictionListener);
        }
        return builder;
    }
}
