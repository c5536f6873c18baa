package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.time.Duration;

/**
 * Token buckets by name (an org, a caller, a client address), refilled from the injected
 * clock so tests can drive time. The set of buckets is itself a bounded cache: a caller who
 * invents names only pushes out idle buckets, which is the same as a full one.
 */
public final class Throttle {

    /** A classic token bucket; {@link #tryTake} answers 0 when allowed, else the seconds to wait. */
    static final class Bucket {
        private final double capacity;
        private final double refillPerNano;
        private double tokens;
        private long last;

        Bucket(double capacity, double refillPerSecond, long now) {
            this.capacity = capacity;
            this.refillPerNano = refillPerSecond / 1e9;
            this.tokens = capacity;
            this.last = now;
        }

        synchronized void giveBack() {
            tokens = Math.min(capacity, tokens + 1);
        }

        synchronized long tryTake(long now, boolean take) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - last) * refillPerNano);
            last = Math.max(last, now);
            if (tokens >= 1) {
                if (take) {
                    tokens -= 1;
                }
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano / 1e9));
        }
    }

    private final Cache<String, Bucket> buckets;
    private final double capacity;
    private final double perSecond;
    private final Clock clock;

    /** {@code capacity} events at once, refilled at {@code perSecond}; state for at most {@code maxNames} names. */
    public Throttle(double capacity, double perSecond, long maxNames, Clock clock) {
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.clock = clock;
        // an idle bucket refills completely within capacity/perSecond: keep it no longer than that
        Duration idle = Duration.ofMillis((long) Math.ceil(capacity / perSecond * 1000) + 1000);
        // idle, on the injected clock: a bucket in use is never replaced by a full one, and tests that stop time
        // stop this expiry too
        this.buckets = BoundedCache.buildIdle(maxNames, maxNames * 256, idle, bucket -> 64, BoundedCache::bytes,
                () -> nanosOf(clock));
    }

    /** Takes one event for {@code name}; 0 when allowed, else the seconds until one is. */
    public long take(String name) {
        return bucket(name).tryTake(nanos(), true);
    }

    /** 0 when {@code name} could take an event now, else the seconds until it can; takes nothing. */
    public long waitFor(String name) {
        Bucket bucket = buckets.getIfPresent(name);
        return bucket == null ? 0 : bucket.tryTake(nanos(), false);
    }

    private Bucket bucket(String name) {
        return buckets.get(name, n -> new Bucket(capacity, perSecond, nanos()));
    }

    private long nanos() {
        return nanosOf(clock);
    }

    private static long nanosOf(Clock clock) {
        var now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Gives back an event taken for {@code name} (it turned out not to count). */
    public void giveBack(String name) {
        Bucket bucket = buckets.getIfPresent(name);
        if (bucket != null) {
            bucket.giveBack();
        }
    }
}
