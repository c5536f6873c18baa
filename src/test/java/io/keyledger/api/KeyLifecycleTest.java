package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KeyLifecycleTest {

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Api.admin(org).createAccount("robot", "admin");
        Api.admin(org).createAccount("reader-bot", "reader");
    }

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    private int getWithKey(String apiKey, String keyId) {
        return Api.as(apiKey, org).getKey("robot", keyId).extract().statusCode();
    }

    @Test
    void list_returnsActiveKeysNewestFirst_withoutValues() {
        String first = Api.admin(org).createKey("robot", "{\"description\":\"first\"}").id();
        String second = Api.admin(org).createKey("robot", "{\"description\":\"second\"}").id();
        String revoked = Api.admin(org).createKey("robot", "{\"description\":\"gone\"}").id();
        Api.admin(org).revoke("robot", revoked).statusCode(200);

        Api.member(org).listKeys("robot").statusCode(200).body("id", equalTo(List.of(second, first)))
                .body("[0]", not(hasKey("key"))).body("[0].created_at", isA(Float.class))
                .body("[0]", hasKey("last_used_at"));
        Api.member(org).listKeys("nobody").statusCode(404).body("message", equalTo("Service account not found"));
        Api.as(Tokens.admin("elsewhere"), org).listKeys("robot").statusCode(403);
    }

    @Test
    void apiKeys_authenticateAsTheirServiceAccount_byBearerOrBasic_withItsPrivilege() {
        Api.Key robotKey = Api.admin(org).createKey("robot", "{\"description\":\"automation\"}");
        String adminKey = robotKey.value();
        String readerKey = Api.admin(org).createKey("reader-bot", "{\"description\":\"read only\"}").value();

        // admin privilege manages: it can create a key in its own org
        Api.as(adminKey, org).postKey("robot", "{\"description\":\"made by a key\"}").statusCode(201);
        // HTTP Basic with the key as user name, password ignored
        given().header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((adminKey + ":whatever").getBytes()))
                .get(Api.KEY, org, "robot", robotKey.id()).then().statusCode(200);
        // reader privilege may read but not manage
        Api.as(readerKey, org).listKeys("robot").statusCode(200);
        Api.as(readerKey, org).postKey("robot", "{\"description\":\"x\"}").statusCode(403);
        // a key is only good in its own org
        Api.as(adminKey, "other-org").listKeys("robot").statusCode(403);
    }

    @Test
    void badKeys_get401() {
        String key = Api.admin(org).createKey("robot", "{\"description\":\"k\"}").value();
        String typo = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        String wellFormedButUnknown = typo; // checksum fails: rejected without a database lookup
        for (String bad : new String[]{typo, wellFormedButUnknown, "kl_short"}) {
            Api.as(bad, org).listKeys("robot").statusCode(401).contentType(ContentType.JSON).body("message",
                    not(emptyOrNullString()));
        }
    }

    @Test
    void fullStory_create_use_rotate_grace_revoke() {
        Api.Key created = Api.admin(org).createKey("robot", "{\"description\":\"pipeline\"}");
        String oldId = created.id();
        String oldKey = created.value();

        // authenticate with the key, then see last_used_at set through the usage topic
        Api.as(oldKey, org).getKey("robot", oldId).statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                () -> Api.admin(org).getKey("robot", oldId).statusCode(200).body("last_used_at", isA(Float.class)));

        // rotate: a new key with the same description; the old one works during the grace period
        var rotated = Api.admin(org).rotate("robot", oldId, "{\"grace_period_hours\":1}").statusCode(201)
                .body("key", startsWith("kl_")).body("description", equalTo("pipeline"))
                .body("replaces", equalTo(oldId)).body("expires_at", equalTo(0))
                .body("grace_period_expires_at", greaterThan((int) (System.currentTimeMillis() / 1000))).extract();
        String newId = rotated.path("id");
        String newKey = rotated.path("key");
        assertEquals(200, getWithKey(oldKey, oldId));
        assertEquals(200, getWithKey(newKey, newId));

        // after the grace period the old key is refused and no longer active; the new one works
        ShiftableClock.shift(Duration.ofMinutes(61));
        assertEquals(401, getWithKey(oldKey, newId));
        assertEquals(200, getWithKey(newKey, newId));
        Api.admin(org).getKey("robot", oldId).statusCode(404);

        // revoke: refused at once
        Api.admin(org).revoke("robot", newId).statusCode(200);
        assertEquals(401, getWithKey(newKey, newId));
    }

    @Test
    void rotate_validatesItsBody_andRefusesUnknownKeys() {
        String id = Api.admin(org).createKey("robot", "{\"description\":\"r\"}").id();
        for (String body : new String[]{"{\"grace_period_hours\":0}", "{\"grace_period_hours\":721}",
                "{\"grace_period_hours\":\"1\"}", "{\"expires_at\":1.5}"}) {
            Api.admin(org).rotate("robot", id, body).statusCode(400).body("errors", notNullValue());
        }
        Api.admin(org).rotate("robot", id, "{\"expires_at\":1000}").statusCode(400).body("message",
                equalTo("expires_at cannot be in the past"));
        Api.admin(org).rotate("robot", "no-such-key", "{}").statusCode(404).body("message",
                equalTo("API key not found"));
        Api.member(org).rotate("robot", id, "{}").statusCode(403);
    }

    @Test
    void rotatedKey_neverOutlivesTheOriginal_unlessAnExpiryIsGiven() {
        long originalExpiry = System.currentTimeMillis() / 1000 + 7200;
        String id = Api.admin(org)
                .createKey("robot", "{\"description\":\"bounded\",\"expires_at\":" + originalExpiry + "}").id();
        Api.admin(org).rotate("robot", id, "{\"grace_period_hours\":24}").statusCode(201)
                .body("expires_at", equalTo((int) originalExpiry))
                .body("grace_period_expires_at", equalTo((int) originalExpiry));
        String id2 = Api.admin(org)
                .createKey("robot", "{\"description\":\"extended\",\"expires_at\":" + originalExpiry + "}").id();
        Api.admin(org).rotate("robot", id2, "{\"expires_at\":4102444800}").statusCode(201).body("expires_at",
                equalTo(4102444800L));
    }
}
