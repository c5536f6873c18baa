package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VerifyResourceTest {

    String org;
    String gateway;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("svc");
        gateway = Tokens.withGroups("gateway", "keyledger:verifier");
    }

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    private ValidatableResponse verify(String key) {
        return Api.as(gateway).verify("{\"key\":\"" + key + "\"}");
    }

    private io.restassured.response.ExtractableResponse<io.restassured.response.Response> create(String body) {
        return Api.admin(org).postKey("svc", body).statusCode(201).extract();
    }

    @Test
    void validKey_returnsItsOwner() {
        var created = create("{\"description\":\"v\",\"expires_at\":4102444800}");
        verify(created.path("key")).statusCode(200).body("valid", equalTo(true)).body("code", equalTo("VALID"))
                .body("key_id", equalTo(created.path("id"))).body("org", equalTo(org))
                .body("service_account", equalTo("svc")).body("privilege", equalTo("member"))
                .body("expires_at", equalTo(4102444800L));
    }

    @Test
    void invalidKeys_returnOnlyValidAndCode() {
        String key = create("{\"description\":\"v\"}").path("key");
        verify(key.substring(0, key.length() - 2) + "zz").statusCode(200).body("valid", equalTo(false))
                .body("code", equalTo("INVALID_FORMAT")).body("$", not(hasKey("key_id"))).body("$", not(hasKey("org")));
        verify("not-even-close").statusCode(200).body("code", equalTo("INVALID_FORMAT"));
    }

    @Test
    void revokedAndExpiredKeys_areReportedAsSuch() {
        var revoked = create("{\"description\":\"r\"}");
        Api.admin(org).revoke("svc", (String) revoked.path("id")).statusCode(200);
        verify(revoked.path("key")).statusCode(200).body("valid", equalTo(false)).body("code", equalTo("REVOKED"));

        String expiring = create(
                "{\"description\":\"e\",\"expires_at\":" + (System.currentTimeMillis() / 1000 + 600) + "}").path("key");
        verify(expiring).body("code", equalTo("VALID"));
        ShiftableClock.shift(Duration.ofMinutes(11));
        verify(expiring).body("valid", equalTo(false)).body("code", equalTo("EXPIRED")).body("$",
                not(hasKey("key_id")));
    }

    @Test
    void unknownKeyOfTheRightShape_isNotFound() {
        // a key with our prefix and a valid checksum that this service never issued
        String issued = create("{\"description\":\"n\"}").path("key");
        String prefixOnly = issued.substring(0, 3);
        String random = "0".repeat(30);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (char c : random.toCharArray()) {
            crc.update(c);
        }
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        long v = crc.getValue();
        char[] sum = new char[6];
        for (int i = 5; i >= 0; i--) {
            sum[i] = alphabet.charAt((int) (v % 62));
            v /= 62;
        }
        verify(prefixOnly + random + new String(sum)).statusCode(200).body("valid", equalTo(false)).body("code",
                equalTo("NOT_FOUND"));
    }

    @Test
    void verify_requiresTheVerifierGroup() {
        given().contentType(ContentType.JSON).body("{\"key\":\"x\"}").post(Api.VERIFY).then().statusCode(401);
        Api.admin(org).verify("{\"key\":\"x\"}").statusCode(403).body("message",
                equalTo("You don't have permission to access this resource"));
    }

    @Test
    void verify_rejectsBadBodies() {
        Api.as(gateway).verify("{}").statusCode(400).body("errors.key", equalTo("Field required"));
        Api.as(gateway).verify("{\"key\":5}").statusCode(400).body("errors.key", not(emptyOrNullString()));
        Api.as(gateway).verify("{oops").statusCode(400).body("errors.body", equalTo("Malformed JSON"));
    }

    @Test
    void verify_isRateLimitedPerCaller_with429AndRetryAfter() {
        // time stands still, so exactly the bucket's 50 (%test) pass, however slow the machine is
        String key = create("{\"description\":\"hot\"}").path("key");
        String caller = Tokens.withGroups("gateway-" + java.util.UUID.randomUUID(), "keyledger:verifier");
        ShiftableClock.freeze();
        for (int i = 0; i < 50; i++) {
            Api.as(caller).verify("{\"key\":\"" + key + "\"}").statusCode(200);
        }
        var response = Api.as(caller).verify("{\"key\":\"" + key + "\"}").statusCode(429).extract();
        assertNotNull(response.header("Retry-After"));
        assertTrue(response.asString().contains("Rate limit exceeded"));
    }

    @Test
    void keyCreation_isRateLimitedPerOrg() {
        // 150 creations per minute per org in %test; the clock does not move, so the 151st is refused
        ShiftableClock.freeze();
        for (int i = 0; i < 150; i++) {
            Api.admin(org).postKey("svc", "{\"description\":\"n\"}").statusCode(anyOf(equalTo(201), equalTo(400)));
        }
        Api.admin(org).postKey("svc", "{\"description\":\"n\"}").statusCode(429).header("Retry-After", notNullValue());
    }
}
