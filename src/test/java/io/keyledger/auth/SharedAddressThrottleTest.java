package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.RawHttp;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failed-key throttle behind a shared address (issue 20 section 6): junk keys (no valid checksum) and
 * well-formed unknown keys have separate allowances per address, so an attacker's junk never gets a
 * fresh real key from the same address answered 429; well-formed guesses have their own, larger
 * allowance (40 a minute in %test, against junk's 20), which still ends in 429. The clock is frozen, so
 * nothing refills while a test runs.
 */
@QuarkusTest
class SharedAddressThrottleTest extends ThrottleTestSupport {

    static final int JUNK_ALLOWANCE = 20;
    static final int LOOKUP_ALLOWANCE = 40;

    String org;

    @BeforeEach
    void frozenClockAndAnAccount() {
        ShiftableClock.freeze();
        org = Fixtures.newOrgWithAccounts("svc");
    }

    @Test
    void junkAtItsLimit_doesNotLockOutAFreshRealKeyFromTheSameAddress() throws Exception {
        String from = "127.0.0.21";
        // our prefix, but not a key: its checksum cannot match
        spendAllowance(from, JUNK_ALLOWANCE, i -> "kl_junk" + i, "junk");
        RawHttp.Response limited = get(from, org, "kl_junk-over-the-limit");
        assertEquals(429, limited.status(), "the junk allowance is used up: " + limited.body());

        String fresh = newKeyValue(org);
        RawHttp.Response first = get(from, org, fresh);
        assertEquals(200, first.status(), "a fresh real key's first try from the junk's address: " + first.body());
        // junk from there is still refused
        assertEquals(429, get(from, org, "kl_more-junk").status());
    }

    @Test
    void wellFormedUnknownKeys_haveTheirOwnLargerAllowance_thatEndsIn429() throws Exception {
        String from = "127.0.0.22";
        spendAllowance(from, LOOKUP_ALLOWANCE, i -> Fixtures.wellFormedUnknownKey(), "well-formed unknown key");
        RawHttp.Response limited = get(from, org, Fixtures.wellFormedUnknownKey());
        assertEquals(429, limited.status(), limited.body());
        assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
        assertTrue(limited.header("Content-Type").startsWith("application/json"));
        assertTrue(limited.body().contains("\"message\""), limited.body());

        // what an attacker at this limit can do (docs/security.md): a key this replica has not verified yet waits too
        String fresh = newKeyValue(org);
        assertEquals(429, get(from, org, fresh).status());
        // and cannot: the same key from another address, and any JWT from this one, are answered
        assertEquals(200, get("127.0.0.23", org, fresh).status());
        assertEquals(200, get(from, org, fresh).status(),
                "verified once on this replica, it no longer needs the allowance");
        assertEquals(200, get(from, org, Tokens.admin(org)).status(), "a JWT from the limited address");
    }

    /** A fresh key of account svc: its value, shown once in the 201. */
    private static String newKeyValue(String org) {
        return Api.admin(org).createKey("svc", "{\"description\":\"fresh\"}").value();
    }

    /** Spends an allowance of {@code from}: {@code allowance} keys ({@code what}, the i-th from {@code key}), each a 401. */
    private void spendAllowance(String from, int allowance, IntFunction<String> key, String what) throws Exception {
        for (int i = 0; i < allowance; i++) {
            RawHttp.Response refused = get(from, org, key.apply(i));
            assertEquals(401, refused.status(), what + " " + (i + 1) + ": " + refused.body());
        }
    }

    private RawHttp.Response get(String from, String org, String key) throws Exception {
        return RawHttp.listAccounts(from, base.getPort(), org, key);
    }
}
