package io.keyledger.ledger;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.application.ExpiryScanner;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Expiry warnings as events, driven by the injected clock: each threshold (30d, 7d, 1d) is recorded
 * once per key, then the expiry once; scanners running at the same time record nothing twice, and
 * revoked or rotated-away keys get nothing. The test runs the scans itself (the background scanner is off in %test).
 */
@QuarkusTest
class ExpiryWarningTest {

    @Inject
    ExpiryScanner scanner;

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    static long clockNow() {
        return new ShiftableClock().instant().getEpochSecond();
    }

    private static String createKey(String org, long expiresAt) {
        return Api.admin(org).createKey("svc", "{\"description\":\"expiring\",\"expires_at\":" + expiresAt + "}").id();
    }

    private static List<String> history(String org, String keyId) {
        return Api.admin(org).keyEvents("svc", keyId).statusCode(200).extract().path("events.type");
    }

    /** One scan (as the leader's timer would run it), then the key's history. */
    private void scanThenExpect(String org, String keyId, List<String> expected) {
        scanner.scanOnce();
        assertEquals(expected, history(org, keyId));
    }

    @Test
    void eachThresholdIsWarnedOnce_thenTheExpiryIsRecordedOnce() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        long expiresAt = clockNow() + 40 * 86_400L;
        String key = createKey(org, expiresAt);
        String revoked = createKey(org, expiresAt);
        Api.admin(org).revoke("svc", revoked).statusCode(200);
        String rotatedAway = createKey(org, expiresAt);
        Api.admin(org).rotate("svc", rotatedAway, "{\"grace_period_hours\":1}").statusCode(201);

        ShiftableClock.shift(Duration.ofDays(11)); // 29 days left
        scanThenExpect(org, key, List.of("KeyCreated", "KeyExpiringSoon"));
        // several scanners at once (a leader change, a second replica): nothing is recorded twice
        List<Callable<Integer>> scans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            scans.add(scanner::scanOnce);
        }
        var pool = Executors.newFixedThreadPool(4);
        try {
            pool.invokeAll(scans);
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of("KeyCreated", "KeyExpiringSoon"), history(org, key));
        Api.admin(org).keyEvents("svc", key).body("events[1].data.warning", equalTo("30d"))
                .body("events[1].data.expires_at", equalTo((int) expiresAt))
                .body("events[1].actor.type", equalTo("system"));

        ShiftableClock.shift(Duration.ofDays(23)); // 6 days left
        scanThenExpect(org, key, List.of("KeyCreated", "KeyExpiringSoon", "KeyExpiringSoon"));
        ShiftableClock.shift(Duration.ofDays(5).plusHours(12)); // 12 hours left
        scanThenExpect(org, key, List.of("KeyCreated", "KeyExpiringSoon", "KeyExpiringSoon", "KeyExpiringSoon"));
        ShiftableClock.shift(Duration.ofDays(1)); // expired
        scanThenExpect(org, key,
                List.of("KeyCreated", "KeyExpiringSoon", "KeyExpiringSoon", "KeyExpiringSoon", "KeyExpired"));
        Api.admin(org).keyEvents("svc", key).body("events.data.warning",
                equalTo(java.util.Arrays.asList(null, "30d", "7d", "1d", null)));
        scanner.scanOnce();
        assertEquals(5, history(org, key).size(), "nothing more once expired");

        // revoked and rotated-away keys were never warned
        assertEquals(List.of("KeyCreated", "KeyRevoked"), history(org, revoked));
        assertFalse(history(org, rotatedAway).contains("KeyExpiringSoon"));
        assertFalse(history(org, rotatedAway).contains("KeyExpired"));
    }
}
