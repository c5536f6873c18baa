package io.keyledger.ledger;

import static io.keyledger.testing.KafkaTopics.header;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Secret-scanner reports in GitHub's partner format: labelled, and an active key revoked at once. */
@QuarkusTest
class LeakReportTest {

    static String scanner() {
        return Tokens.withGroups("github-scanner-" + UUID.randomUUID(), "keyledger:scanner");
    }

    static String sha256(String value) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    static String item(String token) {
        return "{\"token\":\"" + token
                + "\",\"type\":\"keyledger_api_key\",\"url\":\"https://github.com/acme/app/blob/main/.env\","
                + "\"source\":\"github\"}";
    }

    @Test
    void aLeakedActiveKey_isRevokedAtOnce_andEveryTokenIsLabelled_idempotently() throws Exception {
        String org = Fixtures.newOrgWithAccounts("svc");
        Api.Key active = Api.admin(org).createKey("svc", "{\"description\":\"leaky\"}");
        String activeKey = active.value();
        String activeId = active.id();
        Api.Key revoked = Api.admin(org).createKey("svc", "{\"description\":\"old\"}");
        Api.admin(org).revoke("svc", revoked.id()).statusCode(200);
        Api.as(activeKey, org).listKeys("svc").statusCode(200); // works, and is now cached
        String unknown = "kl_" + "0".repeat(30) + "5c4iyG"; // may or may not have a valid checksum: never issued either way
        String badChecksum = activeKey.substring(0, activeKey.length() - 1) + (activeKey.endsWith("A") ? "B" : "A");

        String body = "[" + String.join(",", item(activeKey), item(revoked.value()), item(unknown), item(badChecksum),
                item(activeKey)) + "]";
        Api.as(scanner()).reportLeaked(body).statusCode(200).body("label",
                equalTo(List.of("true_positive", "true_positive", "false_positive", "false_positive", "true_positive")))
                .body("token_type", everyItem(equalTo("keyledger_api_key")))
                .body("[0].token_hash", equalTo(sha256(activeKey)))
                .body("[3].token_hash", equalTo(sha256(badChecksum)));

        // refused at once on this replica, with the report and the reason in the log
        Api.as(activeKey, org).listKeys("svc").statusCode(401);
        Api.admin(org).keyEvents("svc", activeId).statusCode(200)
                .body("events.type", equalTo(List.of("KeyCreated", "KeyLeakReported", "KeyRevoked")))
                .body("events[1].data.source", equalTo("github")).body("events[2].data.reason", equalTo("leaked"))
                .body("events[2].schema_version", equalTo(2));

        // the same report again: the same labels, nothing more recorded
        Api.as(scanner()).reportLeaked(body).statusCode(200).body("label", equalTo(
                List.of("true_positive", "true_positive", "false_positive", "false_positive", "true_positive")));
        Api.admin(org).keyEvents("svc", activeId).statusCode(200).body("events.size()", equalTo(3));

        // and on Kafka: the report, then KeyRevoked v2 with its reason
        var records = KafkaTopics.awaitRecords("api-key-events",
                r -> r.value() != null && r.value().contains(activeId)
                        && !"io.keyledger.KeyCreated.v2".equals(header(r, "ce_type")),
                seen -> seen.size() >= 2, Duration.ofSeconds(60));
        assertEquals("io.keyledger.KeyLeakReported.v1", header(records.get(0), "ce_type"));
        assertEquals("io.keyledger.KeyRevoked.v2", header(records.get(1), "ce_type"));
        assertEquals("leaked", new JsonObject(records.get(1).value()).getString("reason"));
    }

    @Test
    void underAnOnLeakDisablePolicy_aLeakedKeyIsQuarantined_notRevoked_andCanBeEnabledAgain() {
        String org = Fixtures.newOrgWithAccounts("svc");
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":null,\"on_leak\":\"disable\"}").statusCode(200);
        Api.Key leaked = Api.admin(org).createKey("svc", "{\"description\":\"leaky\"}");
        Api.as(leaked.value(), org).listKeys("svc").statusCode(200); // works, and is now cached

        Api.as(scanner()).reportLeaked("[" + item(leaked.value()) + "]").statusCode(200).body("label",
                equalTo(List.of("true_positive")));

        // refused at once, still listed as disabled, with the report and the quarantine in the log
        Api.as(leaked.value(), org).listKeys("svc").statusCode(401);
        Api.as(Tokens.withGroups("gateway-verifier", "keyledger:verifier"))
                .verify(java.util.Map.of("key", leaked.value())).statusCode(200).body("valid", equalTo(false))
                .body("code", equalTo("DISABLED"));
        Api.admin(org).getKey("svc", leaked.id()).statusCode(200).body("disabled_at", notNullValue())
                .body("disabled_reason", equalTo("Reported as leaked by github"));
        Api.admin(org).keyEvents("svc", leaked.id()).statusCode(200)
                .body("events.type", equalTo(List.of("KeyCreated", "KeyLeakReported", "KeyDisabled")))
                .body("events[2].data.reason", equalTo("Reported as leaked by github"));

        // the same report again changes nothing more
        Api.as(scanner()).reportLeaked("[" + item(leaked.value()) + "]").statusCode(200).body("label",
                equalTo(List.of("true_positive")));
        Api.admin(org).keyEvents("svc", leaked.id()).statusCode(200).body("events.size()", equalTo(3));

        // a false positive costs no outage: enable, and the key works again
        Api.admin(org).enable("svc", leaked.id()).statusCode(200);
        Api.as(leaked.value(), org).listKeys("svc").statusCode(200);

        // with the policy back to revoke, a report on a disabled key makes it final
        Api.admin(org).disable("svc", leaked.id(), "{\"reason\":\"again\"}").statusCode(200);
        Api.admin(org).putKeyPolicy("{\"max_lifetime_days\":null}").statusCode(200).body("on_leak", equalTo("revoke"));
        Api.as(scanner()).reportLeaked("[" + item(leaked.value()) + "]").statusCode(200);
        Api.admin(org).getKey("svc", leaked.id()).statusCode(404);
        Api.admin(org).keyEvents("svc", leaked.id()).statusCode(200).body("events.type[-1]", equalTo("KeyRevoked"))
                .body("events.data.reason[-1]", equalTo("leaked"));
    }

    @Test
    void manualRevocation_isReasonRevoked_andAccountDeletion_isReasonAccountDeleted() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String manual = Fixtures.createKey(org, "svc", "m");
        String withAccount = Fixtures.createKey(org, "svc", "w");
        Api.admin(org).revoke("svc", manual).statusCode(200);
        Api.admin(org).deleteAccount("svc").statusCode(200);
        Api.admin(org).keyEvents("svc", manual).body("events[1].data.reason", equalTo("revoked"));
        Api.admin(org).keyEvents("svc", withAccount).body("events[1].data.reason", equalTo("account_deleted"));
    }

    @Test
    void onlyScanners_mayReport_andBadBodiesAre400() {
        Api.admin("acme").reportLeaked("[" + item("x") + "]").statusCode(403);
        given().contentType(ContentType.JSON).body("[" + item("x") + "]").post(Api.LEAKED).then().statusCode(401);
        String scanner = scanner();
        Api.as(scanner).reportLeaked("[]").statusCode(400).body("errors.body", containsString("1 to 1000"));
        Api.as(scanner).reportLeaked("{\"token\":\"x\"}").statusCode(400).body("errors.body",
                equalTo("Must be a JSON array"));
        Api.as(scanner).reportLeaked("[{\"type\":\"keyledger_api_key\"}, 5]").statusCode(400)
                .body("errors.'[0].token'", equalTo("Field required"))
                .body("errors.'[1]'", equalTo("Must be a JSON object"));
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"token\":\"t").append(i).append("\"}");
        }
        Api.as(scanner).reportLeaked(many.append("]").toString()).statusCode(400).body("errors.body",
                containsString("1 to 1000"));
    }
}
