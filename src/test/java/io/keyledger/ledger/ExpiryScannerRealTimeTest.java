package io.keyledger.ledger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
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

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Test
    void theBackgroundScanner_warnsWhenTheThresholdIsReached() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        long expiresAt = System.currentTimeMillis() / 1000 + 3600 + 3;
        String key = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"soon\",\"expires_at\":" + expiresAt + "}").post(KEYS, org, "svc")
                .then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}/events", org, "svc", key).then().statusCode(200)
                        .body("events.type", equalTo(List.of("KeyCreated", "KeyExpiringSoon")))
                        .body("events[1].data.warning", equalTo("1h")));
    }
}
