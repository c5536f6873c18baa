package io.keyledger.ledger;

import static io.keyledger.testing.KafkaTopics.header;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An org caps key lifetimes: keys without an expiry get the longest allowed, longer ones are refused. */
@QuarkusTest
class KeyPolicyTest {

    @Test
    void aPolicy_shapesNewKeys_rotations_andIsReadBack_withWhoAndWhen() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String before = Fixtures.createKey(org, "svc", "from before the policy"); // never expires, and keeps that
        Api.member(org).keyPolicy().statusCode(200).body("max_lifetime_days", nullValue())
                .body("updated_at", nullValue()).body("updated_by", nullValue());

        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":30}").statusCode(200).body("max_lifetime_days", equalTo(30))
                .body("updated_by", equalTo("admin-of-" + org)).body("updated_at", notNullValue());
        Api.member(org).keyPolicy().statusCode(200).body("max_lifetime_days", equalTo(30));

        long now = System.currentTimeMillis() / 1000;
        long expiresAt = ((Number) Api.admin(org).postKey("svc", "{\"description\":\"capped\"}").statusCode(201)
                .extract().path("expires_at")).longValue();
        assertTrue(Math.abs(expiresAt - (now + 30 * 86_400L)) < 600, "now + 30 days, was " + expiresAt);
        Api.admin(org).postKey("svc", "{\"description\":\"too long\",\"expires_at\":" + (now + 40 * 86_400L) + "}")
                .statusCode(400)
                .body("message", equalTo("expires_at exceeds the org's maximum key lifetime of 30 days"));
        Api.admin(org).postKey("svc", "{\"description\":\"fine\",\"expires_at\":" + (now + 86_400L) + "}")
                .statusCode(201).body("expires_at", equalTo((int) (now + 86_400L)));
        // rotating the old never-expiring key: the replacement gets the longest allowed
        long rotated = ((Number) Api.admin(org).rotate("svc", before, "{}").statusCode(201).extract()
                .path("expires_at")).longValue();
        assertTrue(rotated > 0 && rotated <= System.currentTimeMillis() / 1000 + 30 * 86_400L, "rotated: " + rotated);

        // the change is an event on Kafka, in the org's own stream
        var records = KafkaTopics.awaitRecords("api-key-events", r -> ("org:" + org).equals(r.key()),
                seen -> !seen.isEmpty(), Duration.ofSeconds(60));
        assertEquals("io.keyledger.OrgKeyPolicyChanged.v1", header(records.get(0), "ce_type"));
        assertEquals(30, new JsonObject(records.get(0).value()).getInteger("max_lifetime_days"));

        // clearing it
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":null}").statusCode(200).body("max_lifetime_days",
                nullValue());
        Api.admin(org).postKey("svc", "{\"description\":\"free\"}").statusCode(201).body("expires_at", equalTo(0));
    }

    @Test
    void onlyAdminsSet_membersRead_andBadValuesAre400() {
        String org = Fixtures.newOrg();
        Api.member(org).putKeyPolicy("{\"max_lifetime_days\":30}").statusCode(403);
        Api.as(Tokens.admin("elsewhere"), org).keyPolicy().statusCode(403);
        for (String bad : new String[]{"0", "3651", "\"ten\"", "1.5"}) {
            Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":" + bad + "}").statusCode(400)
                    .body("errors.max_lifetime_days", notNullValue());
        }
        Api.admin(org).putKeyPolicy("{}").statusCode(400).body("errors.max_lifetime_days", equalTo("Field required"));
        for (String bad : new String[]{"\"quarantine\"", "\"REVOKE\"", "null", "1", "[\"disable\"]"}) {
            Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":null,\"on_leak\":" + bad + "}").statusCode(400)
                    .body("errors.on_leak", equalTo("Must be one of: revoke, disable"));
        }
        Api.member(org).keyPolicy().statusCode(200).body("on_leak", equalTo("revoke")).body("updated_at", nullValue());
    }

    @Test
    void onLeak_defaultsToRevoke_isSetAndReadBack_andAPutWithoutItSetsRevokeAgain() {
        String org = Fixtures.newOrg();
        Api.member(org).keyPolicy().statusCode(200).body("on_leak", equalTo("revoke"));
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":null,\"on_leak\":\"disable\"}").statusCode(200)
                .body("on_leak", equalTo("disable")).body("max_lifetime_days", nullValue());
        Api.member(org).keyPolicy().statusCode(200).body("on_leak", equalTo("disable"));
        // a PUT replaces the policy: one that leaves on_leak out sets the default
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":30}").statusCode(200).body("on_leak", equalTo("revoke"));
        Api.member(org).keyPolicy().statusCode(200).body("on_leak", equalTo("revoke")).body("max_lifetime_days",
                equalTo(30));
    }
}
