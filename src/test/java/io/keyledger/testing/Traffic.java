package io.keyledger.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.time.Duration;

/**
 * Some of everything an operator's dashboard shows, through the real API: an account, keys, a request
 * authenticated with a key (so a usage record goes through Kafka to the usage consumer), verifications that
 * hit and miss the caches, and a request that ends in a 4xx. Waits until the relay has published.
 */
public final class Traffic {

    private Traffic() {
    }

    public static void some() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "observed");
        String key = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"dashboard\"}")
                .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, "observed")
                .then().statusCode(201).extract().path("key");
        Fixtures.createKey(org, "observed", "second");
        String gateway = Tokens.withGroups("dashboard-gateway", "keyledger:verifier");
        for (int i = 0; i < 3; i++) {
            // first a miss (database lookup), then cache hits
            given().auth().oauth2(gateway).contentType(ContentType.JSON).body("{\"key\":\"" + key + "\"}")
                    .post("/api/v2/api-keys/verify").then().statusCode(200);
        }
        given().auth().oauth2(gateway).contentType(ContentType.JSON).body("{\"key\":\"not-a-key\"}")
                .post("/api/v2/api-keys/verify").then().statusCode(200);
        given().auth().oauth2(key).get("/api/v2/service-accounts/{org}/{name}", org, "observed").then().statusCode(200);
        given().auth().oauth2(Tokens.admin(org)).get("/api/v2/service-accounts/{org}/{name}", org, "missing")
                .then().statusCode(404);
        await().atMost(Duration.ofSeconds(60)).until(() -> Management.metrics().lines()
                .anyMatch(l -> l.startsWith("keyledger_relay_events_published_total") && !l.endsWith(" 0.0")));
    }
}
