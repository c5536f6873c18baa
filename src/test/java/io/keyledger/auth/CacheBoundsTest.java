package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.*;

import com.github.benmanes.caffeine.cache.Cache;
import io.keyledger.testing.Api;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every cache is bounded by entries and by bytes, whatever callers send: an attacker with many
 * distinct valid tokens only pushes out older entries. (%test: at most 100 JWT identities, 100 KiB.)
 */
@QuarkusTest
class CacheBoundsTest {

    @Inject
    CachedJwtAuthMechanism jwts;

    @Test
    void boundedCache_holdsNoMoreThanItsEntriesOrBytes_after50000DistinctKeys() {
        Cache<String, String> cache = BoundedCache.build(1_000, 256 * 1024, Duration.ofMinutes(5), BoundedCache::bytes,
                BoundedCache::bytes);
        for (int i = 0; i < 50_000; i++) {
            cache.put(UUID.randomUUID().toString(), "identity-" + i);
        }
        cache.cleanUp();
        assertTrue(cache.estimatedSize() <= 1_000, "entries: " + cache.estimatedSize());
        long bytes = cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
        assertTrue(bytes <= 256 * 1024, "bytes: " + bytes);
    }

    @Test
    void boundedCache_largeEntriesAreBoundedByBytesBeforeEntries() {
        Cache<String, String> cache = BoundedCache.build(1_000, 64 * 1024, Duration.ofMinutes(5), BoundedCache::bytes,
                BoundedCache::bytes);
        for (int i = 0; i < 500; i++) {
            cache.put("k" + i, "x".repeat(4_000));
        }
        cache.cleanUp();
        assertTrue(cache.policy().eviction().orElseThrow().weightedSize().orElseThrow() <= 64 * 1024);
        assertTrue(cache.estimatedSize() < 20, "8 KB entries in 64 KiB: " + cache.estimatedSize());
    }

    @Test
    void manyDistinctValidJwts_leaveTheIdentityCacheBounded_andEveryRequestAnswered() {
        String org = "bounds-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 400; i++) {
            String token = Tokens.withGroups("user-" + i + "-" + UUID.randomUUID(), "org:" + org + ":member");
            Api.as(token, org).listAccounts().statusCode(200);
        }
        assertTrue(jwts.cachedIdentities() <= 100, "identities: " + jwts.cachedIdentities());
        assertTrue(jwts.cachedBytes() <= 100 * 1024, "bytes: " + jwts.cachedBytes());
        // only the small identity is kept: well under a kilobyte each, no request or response inside
        assertTrue(jwts.cachedBytes() / Math.max(1, jwts.cachedIdentities()) <= 1024,
                "bytes per identity: " + jwts.cachedBytes() / Math.max(1, jwts.cachedIdentities()));
    }
}
