package io.keyledger.ledger;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An org caps key lifetimes: keys without an expiry get the longest allowed, longer ones are refused. */
@QuarkusTest
class KeyPolicyTest {

    static final String POLICY = "/api/v2/orgs/{org}/key-policy";
    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Test
    void aPolicy_shapesNewKeys_rotations_andIsReadBack_withWhoAndWhen() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        String before = Fixtures.createKey(org, "svc", "from before the policy");   // never expires, and keeps that
        given().auth().oauth2(Tokens.member(org)).get(POLICY, org).then().statusCode(200)
                .body("max_lifetime_days", nullValue()).body("updated_at", nullValue()).body("updated_by", nullValue());

        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"max_lifetime_days\":30}")
                .put(POLICY, org).then().statusCode(200).body("max_lifetime_days", equalTo(30))
                .body("updated_by", equalTo("admin-of-" + org)).body("updated_at", notNullValue());
        given().auth().oauth2(Tokens.member(org)).get(POLICY, org).then().statusCode(200).body("max_lifetime_days", equalTo(30));

        long now = System.currentTimeMillis() / 1000;
        long expiresAt = ((Number) given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"capped\"}").post(KEYS, org, "svc").then().statusCode(201)
                .extract().path("expires_at")).longValue();
        assertTrue(Math.abs(expiresAt - (now + 30 * 86_400L)) < 600, "now + 30 days, was " + expiresAt);
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"too long\",\"expires_at\":" + (now + 40 * 86_400L) + "}").post(KEYS, org, "svc")
                .then().statusCode(400).body("message", equalTo("expires_at exceeds the org's maximum key lifetime of 30 days"));
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"fine\",\"expires_at\":" + (now + 86_400L) + "}").post(KEYS, org, "svc")
                .then().statusCode(201).body("expires_at", equalTo((int) (now + 86_400L)));
        // rotating the old never-expiring key: the replacement gets the longest allowed
        long rotated = ((Number) given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", before).then().statusCode(201).extract().path("expires_at")).longValue();
        assertTrue(rotated > 0 && rotated <= System.currentTimeMillis() / 1000 + 30 * 86_400L, "rotated: " + rotated);

        // the change is an event on Kafka, in the org's own stream
        var records = KafkaTopics.awaitRecords("api-key-events", r -> ("org:" + org).equals(r.key()), seen -> !seen.isEmpty(),
                Duration.ofSeconds(60));
        assertEquals("io.keyledger.OrgKeyPolicyChanged.v1", header(records.get(0), "ce_type"));
        assertEquals(30, new JsonObject(records.get(0).value()).getInteger("max_lifetime_days"));

        // clearing it
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"max_lifetime_days\":null}")
                .put(POLICY, org).then().statusCode(200).body("max_lifetime_days", nullValue());
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"free\"}")
                .post(KEYS, org, "svc").then().statusCode(201).body("expires_at", equalTo(0));
    }

    @Test
    void onlyAdminsSet_membersRead_andBadValuesAre400() {
        String org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON).body("{\"max_lifetime_days\":30}")
                .put(POLICY, org).then().statusCode(403);
        given().auth().oauth2(Tokens.admin("elsewhere")).get(POLICY, org).then().statusCode(403);
        for (String bad : new String[] {"0", "3651", "\"ten\"", "1.5"}) {
            given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"max_lifetime_days\":" + bad + "}")
                    .put(POLICY, org).then().statusCode(400).body("errors.max_lifetime_days", notNullValue());
        }
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}").put(POLICY, org).then()
                .statusCode(400).body("errors.max_lifetime_days", equalTo("Field required"));
    }
}
