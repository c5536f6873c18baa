package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quarantine through the real service: a disabled key is refused everywhere (the API, verify, the gateway check) with
 * code DISABLED, still listed with disabled_at and disabled_reason, and works again once enabled; the events carry
 * the actor; repeats are 409, bad input a 400 naming the field, a member a 403.
 */
@QuarkusTest
class KeyQuarantineTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";
    static final String KEY = KEYS + "/{id}";
    static final String VERIFIER = Tokens.withGroups("gateway-verifier", "keyledger:verifier");

    String org;
    String id;
    String value;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        var created = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"q\"}")
                .post(KEYS, org, "svc").then().statusCode(201).extract();
        id = created.path("id");
        value = created.path("key");
    }

    private io.restassured.response.ValidatableResponse disable(String body) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body)
                .post(KEY + "/disable", org, "svc", id).then();
    }

    private io.restassured.response.ValidatableResponse enable() {
        return given().auth().oauth2(Tokens.admin(org)).post(KEY + "/enable", org, "svc", id).then();
    }

    private void usable(boolean usable) {
        given().auth().oauth2(value).get("/api/v2/service-accounts/{org}/{name}", org, "svc")
                .then().statusCode(usable ? 200 : 401);
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON).body(Map.of("key", value))
                .post("/api/v2/api-keys/verify").then().statusCode(200)
                .body("valid", equalTo(usable)).body("code", equalTo(usable ? "VALID" : "DISABLED"));
        if (usable) {
            given().header("X-API-Key", value).get("/api/v2/authz").then().statusCode(200).header("X-Keyledger-Key-Id", id);
        } else {
            given().header("X-API-Key", value).get("/api/v2/authz").then().statusCode(401)
                    .body("errors.code", equalTo("DISABLED")).body("message", equalTo("API key disabled"));
        }
    }

    @Test
    void aDisabledKey_isRefusedEverywhere_stillListed_andWorksAgainOnceEnabled() {
        usable(true);   // cached as valid on this replica first: the disable must still win at once
        given().auth().oauth2(Tokens.admin(org)).get(KEY, org, "svc", id).then().statusCode(200)
                .body("$", not(hasKey("disabled_at"))).body("$", not(hasKey("disabled_reason")));

        disable("{\"reason\":\"found in a public gist\"}").statusCode(200)
                .body("id", equalTo(id)).body("disabled_reason", equalTo("found in a public gist"))
                .body("disabled_at", notNullValue()).body("description", equalTo("q"));
        usable(false);
        given().auth().oauth2(Tokens.member(org)).get(KEY, org, "svc", id).then().statusCode(200)
                .body("disabled_reason", equalTo("found in a public gist")).body("disabled_at", notNullValue());
        given().auth().oauth2(Tokens.member(org)).get(KEYS, org, "svc").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.disabled_reason", equalTo("found in a public gist"));

        enable().statusCode(200).body("id", equalTo(id))
                .body("$", not(hasKey("disabled_at"))).body("$", not(hasKey("disabled_reason")));
        usable(true);

        given().auth().oauth2(Tokens.member(org)).get(KEY + "/events", org, "svc", id).then().statusCode(200)
                .body("events.type", hasItem("KeyDisabled")).body("events.type", hasItem("KeyEnabled"))
                .body("events.find { it.type == 'KeyDisabled' }.actor.subject", equalTo("admin-of-" + org))
                .body("events.find { it.type == 'KeyDisabled' }.data.reason", equalTo("found in a public gist"));
    }

    @Test
    void disablingTwice_orEnablingAnEnabledKey_isA409() {
        enable().statusCode(409).body("message", equalTo("API key is not disabled"));
        disable("{\"reason\":\"suspicious\"}").statusCode(200);
        disable("{\"reason\":\"suspicious\"}").statusCode(409).body("message", equalTo("API key is already disabled"));
    }

    @Test
    void aDisabledKey_canStillBeRevoked_andThenIsGone() {
        disable("{\"reason\":\"suspicious\"}").statusCode(200);
        given().auth().oauth2(Tokens.admin(org)).delete(KEY, org, "svc", id).then().statusCode(200);
        given().auth().oauth2(VERIFIER).contentType(ContentType.JSON).body(Map.of("key", value))
                .post("/api/v2/api-keys/verify").then().statusCode(200).body("code", equalTo("REVOKED"));
        enable().statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void badInput_getsA400NamingTheField_andOnlyAnAdminMayDisable() {
        disable("{}").statusCode(400).body("errors.reason", equalTo("Field required"));
        disable("{\"reason\":\"\"}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":\"" + "x".repeat(201) + "\"}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":7}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":\"" + "x".repeat(200) + "\"}").statusCode(200);
        given().auth().oauth2(Tokens.member(org)).post(KEY + "/enable", org, "svc", id).then().statusCode(403);
        given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post(KEY + "/disable", org, "svc", id).then().statusCode(403);
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post(KEY + "/disable", org, "svc", "00000000-0000-4000-8000-000000000000").then().statusCode(404);
    }
}
