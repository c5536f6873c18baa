package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RawHttp;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failed logins cost bounded work. The checksum is public, so anyone can make well-formed keys:
 * a repeated unknown key costs one query, an address that keeps guessing gets 429, and verify
 * spends its limit before doing anything else.
 */
@QuarkusTest
class FailedAuthenticationCostTest {

    @Inject
    MeterRegistry registry;

    @Inject
    ApiKeyVerifier verifier;

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    double lookups() {
        verifier.cacheSizes(); // the verifier registers the counter when it is first used: make sure it exists
        return registry.get("keyledger.keys.lookups").counter().count();
    }

    @Test
    void repeatedUnknownKey_costsOneDatabaseQuery() {
        String gateway = Tokens.withGroups("gw-" + UUID.randomUUID(), "keyledger:verifier");
        String unknown = Fixtures.wellFormedUnknownKey();
        double before = lookups();
        for (int i = 0; i < 25; i++) {
            Api.as(gateway).verify("{\"key\":\"" + unknown + "\"}").statusCode(200);
        }
        assertEquals(1.0, lookups() - before, "database lookups for 25 verifications of one unknown key");
    }

    @Test
    void anAddressThatKeepsPresentingUnknownKeys_gets429WithRetryAfter_beforeAnyWork() throws Exception {
        ShiftableClock.freeze();
        // from 127.0.0.2, so the rest of the suite (127.0.0.1) keeps its own allowance; well-formed keys: 40 a minute
        // in %test (junk has its own allowance: SharedAddressThrottleTest)
        String org = Fixtures.newOrgWithAccounts("svc");
        Api.Key created = Api.admin(org).createKey("svc", "{\"description\":\"mine\"}");
        String valid = created.value();
        String validId = created.id();
        assertEquals(200, get("127.0.0.2", org, valid).status(), "verified once, so now in memory");
        for (int i = 0; i < 40; i++) {
            RawHttp.Response refused = get("127.0.0.2", org, Fixtures.wellFormedUnknownKey());
            assertEquals(401, refused.status(), "failure " + (i + 1) + ": " + refused.body());
        }
        double before = lookups();
        RawHttp.Response limited = get("127.0.0.2", org, Fixtures.wellFormedUnknownKey());
        assertEquals(429, limited.status(), limited.body());
        assertNotNull(limited.header("Retry-After"));
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
        assertTrue(limited.header("Content-Type").startsWith("application/json"));
        assertTrue(limited.body().contains("\"message\""), limited.body());
        assertEquals(0.0, lookups() - before, "a throttled address costs no database query");
        // a key already verified in memory still works from the throttled address, at no database cost
        assertEquals(200, get("127.0.0.2", org, valid).status());
        assertEquals(0.0, lookups() - before);
        // another address is unaffected
        assertEquals(401, get("127.0.0.3", org, Fixtures.wellFormedUnknownKey()).status());

        // its answer retired (a change to the account, or the cache TTL): the key is looked up again, and being a
        // key found valid lately it takes nothing from the throttled address's allowance (no lock-out behind a NAT)
        verifier.invalidateAccount(org, "svc");
        double beforeRelookup = lookups();
        assertEquals(200, get("127.0.0.2", org, valid).status());
        assertEquals(1.0, lookups() - beforeRelookup, "looked up once");
        // revoked: the lookup says so, and the key is throttled like any other from then on
        Api.admin(org).revoke("svc", validId).statusCode(200);
        assertEquals(401, get("127.0.0.2", org, valid).status());
        assertEquals(429, get("127.0.0.2", org, valid).status(),
                "no longer recently valid: it takes a token, and none is left");
    }

    @Test
    void parallelGuessesFromOneAddress_costNoMoreLookupsThanItsAllowance() throws Exception {
        ShiftableClock.freeze();
        String org = Fixtures.newOrg();
        double before = lookups();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.List<java.util.concurrent.Callable<Integer>> guesses = new java.util.ArrayList<>();
            for (int i = 0; i < 120; i++) {
                guesses.add(() -> get("127.0.0.4", org, Fixtures.wellFormedUnknownKey()).status());
            }
            long limited = 0;
            for (var result : pool.invokeAll(guesses)) {
                limited += result.get() == 429 ? 1 : 0;
            }
            assertTrue(limited >= 80, "429s: " + limited);
        } finally {
            pool.shutdown();
        }
        assertTrue(lookups() - before <= 40,
                "lookups for 120 parallel guesses with an allowance of 40: " + (lookups() - before));
    }

    @Test
    void verify_spendsItsLimitPerCaller_beforeReadingTheBody() {
        ShiftableClock.freeze();
        String gateway = Tokens.withGroups("gw-" + UUID.randomUUID(), "keyledger:verifier");
        for (int i = 0; i < 50; i++) {
            // not even a valid body: the limit is spent before any work
            Api.as(gateway).verify("{}").statusCode(400);
        }
        var limited = Api.as(gateway).verify("{}").statusCode(429).extract();
        assertNotNull(limited.header("Retry-After"));
        // a different calling identity has its own allowance
        String other = Tokens.withGroups("gw-" + UUID.randomUUID(), "keyledger:verifier");
        Api.as(other).verify("{\"key\":\"x\"}").statusCode(200);
    }

    private RawHttp.Response get(String from, String org, String key) throws Exception {
        return RawHttp.listAccounts(from, base.getPort(), org, key);
    }
}
