package io.keyledger.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.KeyRehashing;
import io.keyledger.projection.ReadModel;
import io.keyledger.projection.VerifiedKey;
import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.KeyHasher;
import io.keyledger.serviceaccount.Peppers;
import io.keyledger.usage.RequestLine;
import io.keyledger.usage.UsagePublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Checks presented API keys. A checksum failure is rejected without touching the database;
 * otherwise one lookup by HMAC hash, remembered afterwards: a found key for
 * {@code keyledger.keys.cache-ttl}, an unknown one briefly ({@code unknown-cache-ttl}), both
 * bounded in entries and bytes. A cached answer is checked against {@link Invalidations} on
 * every use, so revocation, rotation and account changes win every race with a verification in
 * flight, here at once and on other replicas when their event arrives. Nothing is written to
 * PostgreSQL per request: usage goes to Kafka, coalesced.
 *
 * <p>Peppers ({@link Peppers}): a key is hashed with the current pepper only, so the hot path stays one HMAC. Only
 * when that finds nothing is it hashed with each older pepper (one more query for all of them); a valid key found
 * that way is re-hashed under the current pepper through the command path ({@link KeyRehashing}) and then answered
 * from a fresh read under its new hash, so it is found with one HMAC from then on. A well-formed unknown key costs
 * one HMAC per pepper before it is remembered as unknown.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    /** A key as the database showed it, and the invalidation stamp taken before that read. */
    private record Cached(VerifiedKey key, long readStamp) {
        long bytes() {
            return 24 + BoundedCache.bytes(key.keyId()) + BoundedCache.bytes(key.org())
                    + BoundedCache.bytes(key.serviceAccount()) + BoundedCache.bytes(key.privilege())
                    + BoundedCache.bytes(key.keyHash()) + 40;
        }
    }

    /** A fresh read rarely races a change twice; past this, the last read answers uncached. */
    private static final int READ_ATTEMPTS = 3;

    private static final Logger LOG = Logger.getLogger(ApiKeyVerifier.class);

    private final ApiKeyFormat format;
    private final KeyHasher hasher;
    private final Peppers peppers;
    private final Cache<String, Cached> byHash;
    private final Cache<String, Boolean> recentlyValid;
    static final java.time.Duration RECENTLY_VALID_FOR = java.time.Duration.ofHours(1);
    private final Cache<String, Boolean> unknown;
    private final Invalidations invalidations;
    private final Timer verifications;
    private final Counter lookups;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final java.util.Map<Verification.Code, Counter> results = new java.util.EnumMap<>(Verification.Code.class);

    @Inject
    ReadModel readModel;

    @Inject
    UsagePublisher usage;

    @Inject
    Clock clock;

    @Inject
    KeyRehashing rehashing;

    @Inject
    public ApiKeyVerifier(KeyledgerConfig config, ApiKeyFormat format, Peppers peppers, MeterRegistry registry) {
        this.format = format;
        this.peppers = peppers;
        this.hasher = peppers.current();
        KeyledgerConfig.Keys keys = config.keys();
        this.byHash = BoundedCache.build(keys.cacheSize(), keys.cacheMaxBytes().asLongValue(), keys.cacheTtl(),
                Cached::bytes, BoundedCache::bytes);
        // hashes found valid lately, kept longer than the answers: their re-lookup after the answer expired (or was
        // retired by a change) is not a guess, so it takes nothing from the address's failed-login allowance
        this.recentlyValid = BoundedCache.build(keys.cacheSize(), keys.cacheMaxBytes().asLongValue(),
                RECENTLY_VALID_FOR, valid -> 16, BoundedCache::bytes);
        this.unknown = BoundedCache.build(keys.unknownCacheSize(), keys.unknownCacheMaxBytes().asLongValue(),
                keys.unknownCacheTtl(), found -> 16, BoundedCache::bytes);
        this.invalidations = new Invalidations(keys.cacheSize(), keys.cacheMaxBytes().asLongValue(), keys.cacheTtl(),
                Ticker.systemTicker());
        this.verifications = Timer.builder("keyledger.keys.verification").description("API key verifications")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.lookups = Counter.builder("keyledger.keys.lookups")
                .description("Database lookups of a presented key's hash (cache misses)").register(registry);
        // For the dashboard's cache hit ratio: a well-formed key answered from either cache, or not (then looked up).
        this.cacheHits = Counter.builder("keyledger.keys.cache.requests").tag("result", "hit")
                .description("Verifications of a well-formed key, by whether a cache answered").register(registry);
        this.cacheMisses = Counter.builder("keyledger.keys.cache.requests").tag("result", "miss")
                .description("Verifications of a well-formed key, by whether a cache answered").register(registry);
        for (Verification.Code code : Verification.Code.values()) {
            results.put(code,
                    Counter.builder("keyledger.keys.verification.results")
                            .tag("result", code.name().toLowerCase(java.util.Locale.ROOT))
                            .description("API key verifications by result").register(registry));
        }
    }

    /** The presented value checked for form and, when well formed, hashed: once per request. */
    public PresentedKey present(String value) {
        boolean wellFormed = format.isWellFormed(value);
        return new PresentedKey(value, wellFormed, wellFormed ? hasher.hash(value) : null);
    }

    /** True when the value looks like one of our keys (prefix), whether or not it is valid. */
    public boolean looksLikeKey(String value) {
        return value != null && value.startsWith(format.prefix() + "_");
    }

    /** Verifies a key value (the verify endpoint's) and, when valid, records its use (coalesced) for last_used_at. */
    public Uni<Verification> verifyAndRecordUse(String keyValue, String client) {
        return verifyAndRecordUse(present(keyValue), null, client);
    }

    /**
     * Verifies a presented key and, when valid and allowed from {@code client} (null: not known, so not checked),
     * records its use for {@code request} (null when unknown).
     */
    public Uni<Verification> verifyAndRecordUse(PresentedKey key, RequestLine request, String client) {
        long start = System.nanoTime();
        return verify(key).invoke(result -> recorded(result, start, request, client));
    }

    /**
     * The answer of {@link #validFromCache}, counted and recorded as {@link #verifyAndRecordUse} would: an
     * authentication that already found its key valid in memory does not look it up a second time.
     */
    public Verification recordCachedUse(Verification valid, long startNanos, RequestLine request, String client) {
        cacheHits.increment();
        return recorded(valid, startNanos, request, client);
    }

    private Verification recorded(Verification result, long startNanos, RequestLine request, String client) {
        // a key refused for the address it came from was not used: last_used_at stays where it was
        result.key().filter(key -> client == null || AddressRanges.allows(key.allowedCidrs(), client))
                .ifPresent(key -> usage.recordUse(key.keyId(), clock.instant(), request));
        verifications.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        results.get(result.code()).increment();
        return result;
    }

    /**
     * The verification when the key is valid by what is already in memory (no database work at all), else null.
     * Nothing is counted or recorded: pass a valid answer to {@link #recordCachedUse} when it is used.
     */
    public Verification validFromCache(PresentedKey key) {
        if (!key.wellFormed()) {
            return null;
        }
        Cached cached = byHash.getIfPresent(key.hash());
        if (cached == null || !invalidations.isCurrent(cached.key(), cached.readStamp())) {
            return null;
        }
        Verification result = check(cached.key(), key.hash());
        return result.valid() ? result : null;
    }

    public Uni<Verification> verify(PresentedKey key) {
        if (!key.wellFormed()) {
            return Uni.createFrom().item(Verification.of(Verification.Code.INVALID_FORMAT));
        }
        String hash = key.hash();
        Cached cached = byHash.getIfPresent(hash);
        if (cached != null && invalidations.isCurrent(cached.key(), cached.readStamp())) {
            cacheHits.increment();
            return Uni.createFrom().item(check(cached.key(), hash));
        }
        if (cached == null && unknown.getIfPresent(hash) != null) {
            cacheHits.increment();
            return Uni.createFrom().item(Verification.of(Verification.Code.NOT_FOUND));
        }
        cacheMisses.increment();
        return lookUp(key, 1, true);
    }

    private Uni<Verification> lookUp(PresentedKey presented, int attempt, boolean mayRehash) {
        String hash = presented.hash();
        long readStamp = invalidations.readStamp();
        lookups.increment();
        return readModel.findKeyByHash(hash).chain(found -> {
            if (found.isEmpty()) {
                return peppers.olderIds().isEmpty()
                        ? Uni.createFrom().item(notFound(hash))
                        : underOlderPepper(presented, mayRehash);
            }
            VerifiedKey key = found.get();
            byHash.put(hash, new Cached(key, readStamp));
            // checked after the put: a change that committed during the read retires what we just stored
            if (invalidations.isCurrent(key, readStamp)) {
                return Uni.createFrom().item(remembered(hash, check(key, hash)));
            }
            byHash.invalidate(hash);
            // changes kept landing during our reads: answer from the last read itself (it saw every commit before
            // it began), without caching it
            return attempt < READ_ATTEMPTS
                    ? lookUp(presented, attempt + 1, mayRehash)
                    : Uni.createFrom().item(remembered(hash, check(key, hash)));
        });
    }

    private Verification notFound(String hash) {
        byHash.invalidate(hash);
        recentlyValid.invalidate(hash);
        unknown.put(hash, Boolean.TRUE);
        return Verification.of(Verification.Code.NOT_FOUND);
    }

    /**
     * Not found under the current pepper: one query for the key's hashes under the older ones. A key found there
     * and valid is re-hashed, then answered by a fresh read under its current hash (which caches it as usual and
     * sees a revocation that won the race); if that read finds nothing, the key changed meanwhile and the older
     * hashes are read once more, without another re-hash, for the answer. Invalid keys are answered, not re-hashed.
     */
    private Uni<Verification> underOlderPepper(PresentedKey presented, boolean mayRehash) {
        String currentHash = presented.hash();
        Map<String, String> pepperOfHash = new LinkedHashMap<>();
        for (String id : peppers.olderIds()) {
            pepperOfHash.put(peppers.hasher(id).hash(presented.value()), id);
        }
        long readStamp = invalidations.readStamp();
        lookups.increment();
        return readModel.findKeysByHashes(new ArrayList<>(pepperOfHash.keySet())).chain(keys -> {
            // the row must say it was hashed with the pepper that found it
            Optional<VerifiedKey> match = keys.stream()
                    .filter(key -> key.pepperId().equals(pepperOfHash.get(key.keyHash()))).findFirst();
            if (match.isEmpty()) {
                return Uni.createFrom().item(notFound(currentHash));
            }
            VerifiedKey key = match.get();
            Verification result = check(key, key.keyHash());
            if (!result.valid() || !mayRehash) {
                return Uni.createFrom()
                        .item(result.valid() && !invalidations.isCurrent(key, readStamp)
                                ? Verification.of(Verification.Code.NOT_FOUND)
                                : result);
            }
            return rehashing.rehash(key, currentHash, peppers.currentId()).chain(() -> lookUp(presented, 1, false))
                    .onFailure().recoverWithUni(failure -> {
                        LOG.warnf(
                                "key %s verified under pepper %s but not re-hashed (it is tried again when next presented): %s",
                                key.keyId(), key.pepperId(), failure.getMessage());
                        // answered from the read itself, uncached, unless a change retired it meanwhile
                        return Uni.createFrom()
                                .item(invalidations.isCurrent(key, readStamp)
                                        ? result
                                        : Verification.of(Verification.Code.NOT_FOUND));
                    });
        });
    }

    private Verification remembered(String hash, Verification result) {
        if (result.valid()) {
            recentlyValid.put(hash, Boolean.TRUE);
        } else {
            recentlyValid.invalidate(hash);
        }
        return result;
    }

    /**
     * True when this key was found valid by a database read within {@link #RECENTLY_VALID_FOR} and not found
     * otherwise since: looking it up again is no guess. (Revoked since? The lookup says so and forgets it.)
     */
    public boolean wasRecentlyValid(PresentedKey key) {
        return key.wellFormed() && recentlyValid.getIfPresent(key.hash()) != null;
    }

    private Verification check(VerifiedKey key, String presentedHash) {
        // the lookup was by hash already; compare again in constant time so no path branches on a partial match
        if (!KeyHasher.sameHash(key.keyHash(), presentedHash)) {
            return Verification.of(Verification.Code.NOT_FOUND);
        }
        return Verification.decide(Optional.of(key), clock.instant());
    }

    /** Retires every cached key of a service account (its privilege changed, or it was deleted). O(1). */
    public void invalidateAccount(String org, String serviceAccount) {
        invalidations.invalidateAccount(org, serviceAccount);
    }

    /** Retires what is cached for a key: after revocation and rotation, here and (via events) on every replica. O(1). */
    public void invalidate(String keyId) {
        invalidations.invalidateKey(keyId);
    }

    /** Entries held by each cache, for the bounds test and operators. */
    public CacheSizes cacheSizes() {
        byHash.cleanUp();
        unknown.cleanUp();
        return new CacheSizes(byHash.estimatedSize(), byHash.policy().eviction().orElseThrow().weightedSize().orElse(0),
                unknown.estimatedSize(), invalidations.size());
    }

    public record CacheSizes(long verifiedKeys, long verifiedKeyBytes, long unknownKeys, long invalidationStamps) {
    }
}
