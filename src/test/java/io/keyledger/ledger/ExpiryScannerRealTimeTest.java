package io.keyledger.ledger;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The background scanner with real seconds: KEYLEDGER_EXPIRY_WARNINGS=1h and a 1 s interval. A key
 * that expires in an hour and a few seconds gets its "1h" warning from the scanner's own timer.
 */
@QuarkusTest
@TestProfile(ExpiryScannerRealTimeTest.RealSeconds.class)
class ExpiryScannerRealTimeTest {

    public static class RealSeconds extends ConfigOverrides {
        public RealSeconds() {
            super("keyledger.expiry.enabled", "true", "keyledger.expiry.warnings", "1h",
                    "keyledger.expiry.scan-interval", "1s");
        }
    }

    @Test
    void theBackgroundScanner_warnsWhenTheThresholdIsReached() {
        String org = Fixtures.newOrgWithAccounts("svc");
        long expiresAt = System.currentTimeMillis() / 1000 + 3600 + 3;
        String key = Api.admin(org).createKey("svc", "{\"description\":\"soon\",\"expires_at\":" + expiresAt + "}")
                .id();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> Api.admin(org).keyEvents("svc", key).statusCode(200)
                        .body("events.type", equalTo(List.of("KeyCreated", "KeyExpiringSoon")))
                        .body("events[1].data.warning", equalTo("1h")));
    }
}
