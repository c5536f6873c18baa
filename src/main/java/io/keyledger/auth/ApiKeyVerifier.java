package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.keys.ApiKeyFormat;
import io.keyledger.keys.KeyHasher;
import io.keyledger.projection.ReadModel;
import io.keyledger.usage.UsagePublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks presented API keys. A checksum failure is rejected without touching the database;
 * otherwise one lookup by HMAC hash, served from an in-memory cache after the first time. The
 * cache is invalidated at once on this replica by revocation and rotation, and on every other
 * replica by the event stream ({@link KeyCacheInvalidator}); a TTL bounds any miss. Nothing is
 * written to PostgreSQL per request: usage goes to Kafka, coalesced.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private final ApiKeyFormat format;
    private final KeyHasher hasher;
    private final Cache<String, VerifiedKey> byHash;
    private final Map<String, String> hashById = new ConcurrentHashMap<>();
    private final Timer verifications;

    @Inject
    ReadModel readModel;

    @Inject
    UsagePublisher usage;

    @Inject
    Clock clock;

    @Inject
    public ApiKeyVerifier(KeyledgerConfig config, ApiKeyFormat format, KeyHasher hasher, MeterRegistry registry) {
        this.format = format;
        this.hasher = hasher;
        this.byHash = Caffeine.newBuilder()
                .maximumSize(config.keys().cacheSize())
                .expireAfterWrite(config.keys().cacheTtl())
                .removalListener((String hash, VerifiedKey key, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (key != null) {
                        hashById.remove(key.keyId(), hash);
                    }
                })
                .build();
        this.verifications = Timer.builder("keyledger.keys.verification").description("API key verifications")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** True when the value looks like one of our keys (prefix), whether or not it is valid. */
    public boolean looksLikeKey(String value) {
        return value != null && value.startsWith(format.prefix() + "_");
    }

    /** Verifies a key and, when valid, records its use (coalesced) for last_used_at. */
    public Uni<Verification> verifyAndRecordUse(String keyValue) {
        long start = System.nanoTime();
        return verify(keyValue).invoke(result -> {
            result.key().ifPresent(key -> usage.recordUse(key.keyId(), clock.instant()));
            verifications.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    public Uni<Verification> verify(String keyValue) {
        if (!format.isWellFormed(keyValue)) {
            return Uni.createFrom().item(Verification.of(Verification.Code.INVALID_FORMAT));
        }
        String hash = hasher.hash(keyValue);
        VerifiedKey cached = byHash.getIfPresent(hash);
        if (cached != null) {
            return Uni.createFrom().item(check(cached, hash));
        }
        return readModel.findKeyByHash(hash).map(found -> {
            found.ifPresent(key -> {
                byHash.put(hash, key);
                hashById.put(key.keyId(), hash);
            });
            return found.map(key -> check(key, hash)).orElse(Verification.of(Verification.Code.NOT_FOUND));
        });
    }

    private Verification check(VerifiedKey key, String presentedHash) {
        // the lookup was by hash already; compare again in constant time so no path branches on a partial match
        if (!KeyHasher.sameHash(key.keyHash(), presentedHash)) {
            return Verification.of(Verification.Code.NOT_FOUND);
        }
        return Verification.decide(Optional.of(key), clock.instant());
    }

    /** Forgets every cached key of a service account (its privilege changed, or it was deleted). */
    public void invalidateAccount(String org, String serviceAccount) {
        byHash.asMap().values().removeIf(key -> key.org().equals(org) && key.serviceAccount().equals(serviceAccount));
    }

    /** Forgets what is cached for a key: called on revocation and rotation, here and (via events) on every replica. */
    public void invalidate(String keyId) {
        String hash = hashById.remove(keyId);
        if (hash != null) {
            byHash.invalidate(hash);
        }
    }
}
