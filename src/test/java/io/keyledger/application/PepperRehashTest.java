package io.keyledger.application;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.serviceaccount.ApiKeyFormat;
import io.keyledger.serviceaccount.CreateKey;
import io.keyledger.serviceaccount.KeyHasher;
import io.keyledger.store.EventMetadata;
import io.keyledger.testing.Api;
import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Management;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 §3 in one process (the restarts are PepperRotationIT's): with peppers p2,p1 a key whose row was hashed
 * under p1 is found on a miss, re-hashed to p2 through the command path (one KeyRehashed), then found under p2;
 * a revocation after the re-hash is seen at once (the cache follows the new hash), and the gauge moves.
 */
@QuarkusTest
@TestProfile(PepperRehashTest.TwoPeppers.class)
class PepperRehashTest {

    static final String P1 = "test-only-pepper-p1-0123456789abcdefghijkl";
    static final String P2 = "test-only-pepper-p2-0123456789abcdefghijkl";

    public static class TwoPeppers extends ConfigOverrides {
        public TwoPeppers() {
            super("keyledger.keys.hash-pepper", "", "keyledger.keys.hash-peppers", "p2:" + P2 + ",p1:" + P1,
                    "keyledger.keys.pepper-count-interval", "1s");
        }
    }

    @Inject
    CommandHandler commands;

    @Inject
    ApiKeyFormat format;

    @Inject
    Pool pool;

    private final String verifier = Tokens.withGroups("gateway", "keyledger:verifier");

    /** A key of account svc in a fresh org. */
    private record OldKey(String org, String id, String value) {
    }

    /** A key issued as an earlier release with p1 current would have: the command path, the hash under p1. */
    private OldKey issuedUnderP1() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String value = format.newKey();
        String keyId = UUID.randomUUID().toString();
        commands.handle(org, "svc",
                now -> new CreateKey(org, "svc", keyId, new KeyHasher(P1).hash(value), "p1", "old", 0, now, "test"),
                new EventMetadata("test", Map.of(), "req-" + keyId, null)).await().atMost(Duration.ofSeconds(30));
        return new OldKey(org, keyId, value);
    }

    @Test
    void keyHashedUnderOlderPepper_isRehashedOnce_andRevocationStillWins() {
        OldKey old = issuedUnderP1();
        String org = old.org(), keyId = old.id(), value = old.value();
        assertEquals("p1", pepperOf(keyId));
        // the gauge is read from the read model on its interval: wait until it counts this key under p1
        await().atMost(Duration.ofSeconds(60)).until(() -> gauge("p1") >= 1);
        double p1Before = gauge("p1");

        verify(value).body("code", equalTo("VALID")).body("key_id", equalTo(keyId));
        assertEquals("p2", pepperOf(keyId), "the row names the current pepper");
        assertEquals(new KeyHasher(P2).hash(value), hashOf(keyId));
        assertEquals(List.of("p1->p2"), rehashes(keyId));
        Api.as(value, org).listAccounts().statusCode(200);
        verify(value).body("code", equalTo("VALID"));
        assertEquals(List.of("p1->p2"), rehashes(keyId), "found under p2 now: nothing more recorded");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(p1Before - 1, gauge("p1"), 0.0));

        // the key is cached under its p2 hash; revoking it must still refuse it at once
        Api.admin(org).revoke("svc", keyId).statusCode(200);
        verify(value).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));

        String log = eventsOf(keyId);
        assertFalse(log.contains(value), "a key value in the event log");
        Api.as(Tokens.auditor()).verifyLedger().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void keyRevokedUnderOlderPepper_isRefused_andNeverRehashed() {
        OldKey old = issuedUnderP1();
        String org = old.org(), keyId = old.id(), value = old.value();
        Api.admin(org).revoke("svc", keyId).statusCode(200);

        verify(value).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));
        Api.as(value, org).listAccounts().statusCode(401);
        assertEquals(List.of(), rehashes(keyId), "a revoked key is answered, not re-hashed");
        assertEquals("p1", pepperOf(keyId));
    }

    @Test
    void unknownKey_isNotFound_underEveryPepper() {
        verify(format.newKey()).body("valid", equalTo(false)).body("code", equalTo("NOT_FOUND")).body("$",
                not(org.hamcrest.Matchers.hasKey("key_id")));
    }

    private io.restassured.response.ValidatableResponse verify(String key) {
        return Api.as(verifier).verify("{\"key\":\"" + key + "\"}").statusCode(200);
    }

    private String pepperOf(String keyId) {
        return column(keyId, "pepper_id");
    }

    private String hashOf(String keyId) {
        return column(keyId, "key_hash");
    }

    private String column(String keyId, String column) {
        var rows = pool.preparedQuery("SELECT " + column + " FROM api_keys WHERE id = $1").execute(Tuple.of(keyId))
                .await().atMost(Duration.ofSeconds(30));
        assertTrue(rows.iterator().hasNext(), "a row for " + keyId);
        return rows.iterator().next().getString(0);
    }

    private List<String> rehashes(String keyId) {
        List<String> found = new ArrayList<>();
        for (Row row : pool
                .preparedQuery("SELECT data::text FROM events WHERE event_type = 'KeyRehashed' AND data->>'id' = $1")
                .execute(Tuple.of(keyId)).await().atMost(Duration.ofSeconds(30))) {
            var data = new io.vertx.core.json.JsonObject(row.getString(0));
            found.add(data.getString("from_pepper_id") + "->" + data.getString("to_pepper_id"));
        }
        return found;
    }

    private String eventsOf(String keyId) {
        StringBuilder all = new StringBuilder();
        for (Row row : pool.preparedQuery("SELECT data::text FROM events WHERE data->>'id' = $1")
                .execute(Tuple.of(keyId)).await().atMost(Duration.ofSeconds(30))) {
            all.append(row.getString(0));
        }
        return all.toString();
    }

    private static double gauge(String pepperId) {
        return Management.metrics().lines()
                .filter(l -> l.startsWith("keyledger_keys_by_pepper{") && l.contains("pepper_id=\"" + pepperId + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
