package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.keyledger.projection.VerifiedKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes revocation win every race with a verification in flight.
 *
 * <p>A verification notes a stamp <em>before</em> it reads the database and keeps it beside what
 * it caches. A revocation (or rotation, or a change to the account) takes a newer stamp
 * <em>after</em> its transaction committed and records it for the key or the account. A cached
 * answer read before that stamp is never used again, even if it was written into the cache
 * after the revocation evicted it: it is checked on every use, not only at eviction time.
 *
 * <p>Stamps are kept longer than any cached answer lives. If one is ever pushed out early (the
 * stamp table is full), the floor rises to it, which retires every answer read before it: the
 * table stays bounded and a lost stamp can only cost a re-read, never let a revoked key through.
 */
final class Invalidations {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong floor = new AtomicLong();
    private final Cache<String, Long> stamps;

    Invalidations(long maxEntries, long maxBytes, Duration answerTtl, Ticker ticker) {
        // a cached answer is written right after its read and lives answerTtl: outlive it generously
        Duration keep = answerTtl.plus(Duration.ofMinutes(5));
        this.stamps = BoundedCache.<String, Long>builder(maxEntries, maxBytes, keep, stamp -> 24, BoundedCache::bytes,
                (tag, stamp, cause) -> {
                    if (stamp != null) {
                        floor.accumulateAndGet(stamp, Math::max);
                    }
                }, ticker).build();
    }

    /** Taken before a database read; an answer is current while nothing newer invalidated it. */
    long readStamp() {
        return clock.get();
    }

    /** Call after the change committed, before answering the request that made it. */
    void invalidateKey(String keyId) {
        record(keyTag(keyId));
    }

    /** Call after the account change committed: retires every cached key of the account. */
    void invalidateAccount(String org, String serviceAccount) {
        record(accountTag(org, serviceAccount));
    }

    boolean isCurrent(VerifiedKey key, long readStamp) {
        // stamps first, floor last: an eviction raises the floor before it unlinks the stamp, so a stamp that is
        // gone by the time we look is always covered by the floor we read afterwards
        boolean current = notNewer(keyTag(key.keyId()), readStamp)
                && notNewer(accountTag(key.org(), key.serviceAccount()), readStamp);
        return current && readStamp >= floor.get();
    }

    long size() {
        stamps.cleanUp();
        return stamps.estimatedSize();
    }

    private boolean notNewer(String tag, long readStamp) {
        Long stamp = stamps.getIfPresent(tag);
        return stamp == null || stamp <= readStamp;
    }

    private void record(String tag) {
        long stamp = clock.incrementAndGet();
        stamps.asMap().merge(tag, stamp, Math::max);
    }

    private static String keyTag(String keyId) {
        return "k:" + keyId;
    }

    private static String accountTag(String org, String serviceAccount) {
        return "a:" + org + ":" + serviceAccount;
    }
}
