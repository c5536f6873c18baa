package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
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

    static final String VERIFIER = Tokens.withGroups("gateway-verifier", "keyledger:verifier");

    String org;
    String id;
    String value;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("svc");
        Api.Key created = Api.admin(org).createKey("svc", "{\"description\":\"q\"}");
        id = created.id();
        value = created.value();
    }

    private io.restassured.response.ValidatableResponse disable(String body) {
        return Api.admin(org).disable("svc", id, body);
    }

    private io.restassured.response.ValidatableResponse enable() {
        return Api.admin(org).enable("svc", id);
    }

    private void usable(boolean usable) {
        Api.as(value, org).getAccount("svc").statusCode(usable ? 200 : 401);
        Api.as(VERIFIER).verify(Map.of("key", value)).statusCode(200).body("valid", equalTo(usable)).body("code",
                equalTo(usable ? "VALID" : "DISABLED"));
        if (usable) {
            given().header("X-API-Key", value).get("/api/v2/authz").then().statusCode(200).header("X-Keyledger-Key-Id",
                    id);
        } else {
            given().header("X-API-Key", value).get("/api/v2/authz").then().statusCode(401)
                    .body("errors.code", equalTo("DISABLED")).body("message", equalTo("API key disabled"));
        }
    }

    @Test
    void aDisabledKey_isRefusedEverywhere_stillListed_andWorksAgainOnceEnabled() {
        usable(true); // cached as valid on this replica first: the disable must still win at once
        Api.admin(org).getKey("svc", id).statusCode(200).body("$", not(hasKey("disabled_at"))).body("$",
                not(hasKey("disabled_reason")));

        disable("{\"reason\":\"found in a public gist\"}").statusCode(200).body("id", equalTo(id))
                .body("disabled_reason", equalTo("found in a public gist")).body("disabled_at", notNullValue())
                .body("description", equalTo("q"));
        usable(false);
        Api.member(org).getKey("svc", id).statusCode(200).body("disabled_reason", equalTo("found in a public gist"))
                .body("disabled_at", notNullValue());
        Api.member(org).listKeys("svc").statusCode(200).body("find { it.id == '" + id + "' }.disabled_reason",
                equalTo("found in a public gist"));

        enable().statusCode(200).body("id", equalTo(id)).body("$", not(hasKey("disabled_at"))).body("$",
                not(hasKey("disabled_reason")));
        usable(true);

        Api.member(org).keyEvents("svc", id).statusCode(200).body("events.type", hasItem("KeyDisabled"))
                .body("events.type", hasItem("KeyEnabled"))
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
        Api.admin(org).revoke("svc", id).statusCode(200);
        Api.as(VERIFIER).verify(Map.of("key", value)).statusCode(200).body("code", equalTo("REVOKED"));
        enable().statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void badInput_getsA400NamingTheField_andOnlyAnAdminMayDisable() {
        disable("{}").statusCode(400).body("errors.reason", equalTo("Field required"));
        disable("{\"reason\":\"\"}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":\"" + "x".repeat(201) + "\"}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":7}").statusCode(400).body("errors", hasKey("reason"));
        disable("{\"reason\":\"" + "x".repeat(200) + "\"}").statusCode(200);
        Api.member(org).enable("svc", id).statusCode(403);
        Api.member(org).disable("svc", id, "{\"reason\":\"x\"}").statusCode(403);
        Api.admin(org).disable("svc", "00000000-0000-4000-8000-000000000000", "{\"reason\":\"x\"}").statusCode(404);
    }
}
