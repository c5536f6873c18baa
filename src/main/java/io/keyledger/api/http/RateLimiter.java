package io.keyledger.api.http;

import io.keyledger.api.ApiException;
import io.keyledger.api.ErrorResponse;
import io.keyledger.auth.Throttle;
import io.keyledger.config.KeyledgerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Token buckets against abuse: key creation and service-account writes per org, verification per
 * calling identity. Per
 * replica: with N replicas a caller gets up to N times the rate, which is acceptable for an
 * abuse guard and keeps the request path free of shared state. Time comes from the injected
 * clock, so tests drive it instead of racing it.
 */
@ApplicationScoped
public class RateLimiter {

    private final Throttle creations;
    private final Throttle verifications;
    private final Throttle accountWrites;
    private final Counter creationsRejected;
    private final Counter accountWritesRejected;
    private final Counter verificationsRejected;

    @Inject
    public RateLimiter(KeyledgerConfig config, Clock clock, MeterRegistry registry) {
        int perMinute = config.rateLimit().keyCreationsPerMinute();
        int perSecond = config.rateLimit().verificationsPerSecond();
        long tracked = config.rateLimit().trackedClients();
        this.creations = new Throttle(perMinute, perMinute / 60.0, tracked, clock);
        this.verifications = new Throttle(perSecond, perSecond, tracked, clock);
        int accountWritesPerMinute = config.rateLimit().accountWritesPerMinute();
        this.accountWrites = new Throttle(accountWritesPerMinute, accountWritesPerMinute / 60.0, tracked, clock);
        this.accountWritesRejected = rejections(registry, "account_write");
        this.creationsRejected = rejections(registry, "key_creation");
        this.verificationsRejected = rejections(registry, "verification");
    }

    /** 429s by limit, for the dashboard: {@code keyledger_rate_limit_rejections_total{limit=...}}. */
    public static Counter rejections(MeterRegistry registry, String limit) {
        return Counter.builder("keyledger.rate_limit.rejections").tag("limit", limit)
                .description("Requests answered 429 by a rate limit").register(registry);
    }

    /** Throws a 429 when the org has created too many keys lately. */
    public void checkKeyCreation(String org) {
        check(creations, org, creationsRejected);
    }

    /** Throws a 429 when the org has created, changed or deleted too many service accounts lately. */
    public void checkAccountWrite(String org) {
        check(accountWrites, org, accountWritesRejected);
    }

    /** Throws a 429 when this caller has verified too many keys lately; checked before any other work. */
    public void checkVerification(String caller) {
        check(verifications, caller, verificationsRejected);
    }

    private static void check(Throttle throttle, String name, Counter rejected) {
        long wait = throttle.take(name);
        if (wait > 0) {
            rejected.increment();
            throw new ApiException(429, ErrorResponse.of("Rate limit exceeded; retry after " + wait + " s"), wait);
        }
    }
}
