package io.keyledger.api;

import io.keyledger.config.KeyledgerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-org token buckets against abuse of key creation and verification. Per replica: with N
 * replicas an org gets up to N times the rate, which is acceptable for an abuse guard and
 * keeps the request path free of shared state.
 */
@ApplicationScoped
public class RateLimiter {

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

        synchronized long tryTake(long now) {
            tokens = Math.min(capacity, tokens + (now - last) * refillPerNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / refillPerNano / 1e9));
        }
    }

    private final Map<String, Bucket> creations = new ConcurrentHashMap<>();
    private final Map<String, Bucket> verifications = new ConcurrentHashMap<>();

    @Inject
    KeyledgerConfig config;

    /** Throws a 429 when the org has created too many keys lately. */
    void checkKeyCreation(String org) {
        int perMinute = config.rateLimit().keyCreationsPerMinute();
        take(creations, org, perMinute, perMinute / 60.0);
    }

    /** Throws a 429 when too many keys of the org were verified lately. */
    void checkVerification(String org) {
        int perSecond = config.rateLimit().verificationsPerSecond();
        take(verifications, org, perSecond, perSecond);
    }

    private static void take(Map<String, Bucket> buckets, String org, double capacity, double perSecond) {
        long now = System.nanoTime();
        long wait = buckets.computeIfAbsent(org, o -> new Bucket(capacity, perSecond, now)).tryTake(now);
        if (wait > 0) {
            throw new ApiException(429, ErrorResponse.of("Rate limit exceeded; retry after " + wait + " s"), wait);
        }
    }
}
