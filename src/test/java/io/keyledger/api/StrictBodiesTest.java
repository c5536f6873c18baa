package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 21 §6: a field the API does not know is a 400 that names it, on every JSON body (keyledger.api.unknown-fields=reject). */
@QuarkusTest
class StrictBodiesTest {

    String org;

    @BeforeEach
    void serviceAccount() {
        org = Fixtures.newOrgWithAccounts("ci-bot");
    }

    private RequestSpecification as(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
    }

    private static void namesUnknown(ValidatableResponse response, String field) {
        response.statusCode(400).contentType(ContentType.JSON).body("message", equalTo("Unknown field: " + field))
                .body("errors", equalTo(java.util.Map.of(field, "unknown field")));
    }

    @Test
    void aMisspelledDescription_onServiceAccountCreate_isRefused_andNoAccountIsCreated() {
        namesUnknown(as(Tokens.admin(org), "{\"name\":\"x6\",\"privilege\":\"member\",\"desription\":\"typo\"}")
                .post(Api.ACCOUNTS, org).then(), "desription");
        Api.admin(org).getAccount("x6").statusCode(404);
    }

    @Test
    void aMisspelledExpiresAt_onKeyCreate_isRefused_andNoKeyIsCreated() {
        namesUnknown(as(Tokens.admin(org), "{\"description\":\"deploys\",\"expires_att\":4102444000}")
                .post(Api.KEYS, org, "ci-bot").then(), "expires_att");
        Api.member(org).listKeys("ci-bot").statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void everyOtherBody_namesItsUnknownField() {
        namesUnknown(as(Tokens.admin(org), "{\"description\":\"d\",\"privilge\":\"admin\"}")
                .patch(Api.ACCOUNT, org, "ci-bot").then(), "privilge");
        String id = Fixtures.createKey(org, "ci-bot", "rotated");
        namesUnknown(as(Tokens.admin(org), "{\"grace_period_hour\":2}").post(Api.ROTATE, org, "ci-bot", id).then(),
                "grace_period_hour");
        namesUnknown(as(Tokens.withGroups("verifier-" + org, "keyledger:verifier"),
                "{\"key\":\"kl_x\",\"org\":\"" + org + "\"}").post(Api.VERIFY).then(), "org");
        namesUnknown(as(Tokens.admin(org), "{\"max_lifetime_days\":30,\"min_lifetime_days\":1}")
                .put(Api.KEY_POLICY, org).then(), "min_lifetime_days");
        namesUnknown(as(Tokens.withGroups("scanner-" + org, "keyledger:scanner"),
                "[{\"token\":\"kl_x\",\"type\":\"keyledger_api_key\",\"url\":\"https://x\",\"sourc\":\"content\"}]")
                .post(Api.LEAKED).then(), "[0].sourc");
    }

    @Test
    void severalUnknownFields_areAllNamed() {
        as(Tokens.admin(org), "{\"description\":\"d\",\"a\":1,\"b\":2}").post(Api.KEYS, org, "ci-bot").then()
                .statusCode(400).contentType(ContentType.JSON).body("message", equalTo("Unknown fields: a, b"))
                .body("errors.a", equalTo("unknown field")).body("errors.b", equalTo("unknown field"));
    }

    @Test
    void theOpenApiDocument_saysNoAdditionalProperties_onEveryRequestSchema() {
        var doc = io.restassured.path.json.JsonPath.from(given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        for (String schema : java.util.List.of("ServiceAccountPostInput", "ServiceAccountPatchInput", "ApiKeyPostInput",
                "ApiKeyRotateInput", "ApiKeyVerifyInput", "OrgKeyPolicyInput", "LeakedTokenReport", "BootstrapInput")) {
            assertEquals(Boolean.FALSE, doc.get("components.schemas." + schema + ".additionalProperties"), schema);
        }
    }
}
