package io.keyledger.keys;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KeyLifecycleTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        createAccount("robot", "admin");
        createAccount("reader-bot", "reader");
    }

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    private void createAccount(String name, String privilege) {
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"privilege\":\"" + privilege + "\"}")
                .post("/api/v2/service-accounts/{org}", org).then().statusCode(201);
    }

    private ExtractableResponse<Response> newKey(String account, String body) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body)
                .post(KEYS, org, account).then().statusCode(201).extract();
    }

    private int getWithKey(String apiKey, String keyId) {
        return given().auth().oauth2(apiKey).get(KEYS + "/{id}", org, "robot", keyId).then().extract().statusCode();
    }

    @Test
    void list_returnsActiveKeysNewestFirst_withoutValues() {
        String first = newKey("robot", "{\"description\":\"first\"}").path("id");
        String second = newKey("robot", "{\"description\":\"second\"}").path("id");
        String revoked = newKey("robot", "{\"description\":\"gone\"}").path("id");
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "robot", revoked).then().statusCode(200);

        given().auth().oauth2(Tokens.member(org)).get(KEYS, org, "robot").then().statusCode(200)
                .body("id", equalTo(List.of(second, first)))
                .body("[0]", not(hasKey("key")))
                .body("[0].created_at", isA(Float.class))
                .body("[0]", hasKey("last_used_at"));
        given().auth().oauth2(Tokens.member(org)).get(KEYS, org, "nobody").then().statusCode(404)
                .body("message", equalTo("Service account not found"));
        given().auth().oauth2(Tokens.admin("elsewhere")).get(KEYS, org, "robot").then().statusCode(403);
    }

    @Test
    void apiKeys_authenticateAsTheirServiceAccount_byBearerOrBasic_withItsPrivilege() {
        var admin = newKey("robot", "{\"description\":\"automation\"}");
        String adminKey = admin.path("key");
        String readerKey = newKey("reader-bot", "{\"description\":\"read only\"}").path("key");

        // admin privilege manages: it can create a key in its own org
        given().auth().oauth2(adminKey).contentType(ContentType.JSON).body("{\"description\":\"made by a key\"}")
                .post(KEYS, org, "robot").then().statusCode(201);
        // HTTP Basic with the key as user name, password ignored
        given().header("Authorization", "Basic " + Base64.getEncoder().encodeToString((adminKey + ":whatever").getBytes()))
                .get(KEYS + "/{id}", org, "robot", (String) admin.path("id")).then().statusCode(200);
        // reader privilege may read but not manage
        given().auth().oauth2(readerKey).get(KEYS, org, "robot").then().statusCode(200);
        given().auth().oauth2(readerKey).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .post(KEYS, org, "robot").then().statusCode(403);
        // a key is only good in its own org
        given().auth().oauth2(adminKey).get(KEYS, "other-org", "robot").then().statusCode(403);
    }

    @Test
    void badKeys_get401() {
        String key = newKey("robot", "{\"description\":\"k\"}").path("key");
        String typo = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        String wellFormedButUnknown = typo; // checksum fails: rejected without a database lookup
        for (String bad : new String[]{typo, wellFormedButUnknown, "kl_short"}) {
            given().auth().oauth2(bad).get(KEYS, org, "robot").then().statusCode(401).contentType(ContentType.JSON)
                    .body("message", not(emptyOrNullString()));
        }
    }

    @Test
    void fullStory_create_use_rotate_grace_revoke() {
        var created = newKey("robot", "{\"description\":\"pipeline\"}");
        String oldId = created.path("id");
        String oldKey = created.path("key");

        // authenticate with the key, then see last_used_at set through the usage topic
        given().auth().oauth2(oldKey).get(KEYS + "/{id}", org, "robot", oldId).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "robot", oldId).then()
                        .statusCode(200).body("last_used_at", isA(Float.class)));

        // rotate: a new key with the same description; the old one works during the grace period
        var rotated = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"grace_period_hours\":1}")
                .post(KEYS + "/{id}/rotate", org, "robot", oldId).then().statusCode(201)
                .body("key", startsWith("kl_")).body("description", equalTo("pipeline"))
                .body("replaces", equalTo(oldId)).body("expires_at", equalTo(0))
                .body("grace_period_expires_at", greaterThan((int) (System.currentTimeMillis() / 1000)))
                .extract();
        String newId = rotated.path("id");
        String newKey = rotated.path("key");
        assertEquals(200, getWithKey(oldKey, oldId));
        assertEquals(200, getWithKey(newKey, newId));

        // after the grace period the old key is refused and no longer active; the new one works
        ShiftableClock.shift(Duration.ofMinutes(61));
        assertEquals(401, getWithKey(oldKey, newId));
        assertEquals(200, getWithKey(newKey, newId));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "robot", oldId).then().statusCode(404);

        // revoke: refused at once
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "robot", newId).then().statusCode(200);
        assertEquals(401, getWithKey(newKey, newId));
    }

    @Test
    void rotate_validatesItsBody_andRefusesUnknownKeys() {
        String id = newKey("robot", "{\"description\":\"r\"}").path("id");
        for (String body : new String[]{"{\"grace_period_hours\":0}", "{\"grace_period_hours\":721}",
                "{\"grace_period_hours\":\"1\"}", "{\"expires_at\":1.5}"}) {
            given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body)
                    .post(KEYS + "/{id}/rotate", org, "robot", id).then().statusCode(400).body("errors", notNullValue());
        }
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"expires_at\":1000}")
                .post(KEYS + "/{id}/rotate", org, "robot", id).then().statusCode(400)
                .body("message", equalTo("expires_at cannot be in the past"));
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "robot", "no-such-key").then().statusCode(404)
                .body("message", equalTo("API key not found"));
        given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "robot", id).then().statusCode(403);
    }

    @Test
    void rotatedKey_neverOutlivesTheOriginal_unlessAnExpiryIsGiven() {
        long originalExpiry = System.currentTimeMillis() / 1000 + 7200;
        String id = newKey("robot", "{\"description\":\"bounded\",\"expires_at\":" + originalExpiry + "}").path("id");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"grace_period_hours\":24}")
                .post(KEYS + "/{id}/rotate", org, "robot", id).then().statusCode(201)
                .body("expires_at", equalTo((int) originalExpiry))
                .body("grace_period_expires_at", equalTo((int) originalExpiry));
        String id2 = newKey("robot", "{\"description\":\"extended\",\"expires_at\":" + originalExpiry + "}").path("id");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"expires_at\":4102444800}")
                .post(KEYS + "/{id}/rotate", org, "robot", id2).then().statusCode(201)
                .body("expires_at", equalTo(4102444800L));
    }
}
