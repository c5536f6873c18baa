package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizationTest {

    static final String KEYS = ApiKeyCreateTest.KEYS;
    static final String FORBIDDEN = "You don't have permission to access this resource";

    String org;
    String keyId;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "ci-bot");
        keyId = Fixtures.createKey(org, "ci-bot", "k");
    }

    @Test
    void requests_return401Json_withoutCredentials() {
        given().contentType(ContentType.JSON).body("{\"description\":\"x\"}").post(KEYS, org, "ci-bot")
                .then().statusCode(401).contentType(ContentType.JSON).body("message", not(emptyOrNullString()))
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().get(KEYS + "/{id}", org, "ci-bot", keyId)
                .then().statusCode(401).contentType(ContentType.JSON).body("message", not(emptyOrNullString()));
        given().get("/api/v2/service-accounts/{org}/{name}", org, "ci-bot")
                .then().statusCode(401).contentType(ContentType.JSON);
    }

    @Test
    void requests_return401Json_forInvalidExpiredOrForeignTokens() {
        for (String token : new String[]{"not-a-jwt", Tokens.expired(org), Tokens.wrongIssuer(org),
                Tokens.admin(org).substring(0, Tokens.admin(org).length() - 4) + "AAAA"}) {
            given().auth().oauth2(token).get(KEYS + "/{id}", org, "ci-bot", keyId)
                    .then().statusCode(401).contentType(ContentType.JSON)
                    .body("message", equalTo("Invalid or expired credentials"))
                    .body(not(containsString("Exception")));
        }
    }

    @Test
    void create_returns403_forMemberOrOtherOrgAdmin() {
        for (String token : new String[]{Tokens.member(org), Tokens.admin("other-org"), Tokens.withGroups("x", "admin")}) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                    .post(KEYS, org, "ci-bot").then().statusCode(403).body("message", equalTo(FORBIDDEN));
        }
    }

    @Test
    void permission_isDecidedBeforeExistence_soOtherOrgsCannotProbeNames() {
        String outsider = Tokens.admin("other-org");
        given().auth().oauth2(outsider).get(KEYS + "/{id}", org, "ci-bot", keyId)
                .then().statusCode(403).body("message", equalTo(FORBIDDEN));
        given().auth().oauth2(outsider).get(KEYS + "/{id}", org, "no-such-account", "no-such-key")
                .then().statusCode(403).body("message", equalTo(FORBIDDEN));
        given().auth().oauth2(outsider).contentType(ContentType.JSON).body("not json")
                .post(KEYS, org, "no-such-account").then().statusCode(403);
        given().auth().oauth2(outsider).get("/api/v2/service-accounts/{org}/{name}", org, "no-such-account")
                .then().statusCode(403);
    }

    @Test
    void get_allowsAdminsAndMembers_only() {
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", keyId).then().statusCode(200);
        given().auth().oauth2(Tokens.member(org)).get(KEYS + "/{id}", org, "ci-bot", keyId).then().statusCode(200);
        given().auth().oauth2(Tokens.withGroups("r", "org:" + org + ":reader")).get(KEYS + "/{id}", org, "ci-bot", keyId)
                .then().statusCode(403).body("message", equalTo(FORBIDDEN));
    }

    @Test
    void unknownRoutes_returnJson404() {
        given().auth().oauth2(Tokens.admin(org)).get("/api/v2/nothing-here").then().statusCode(404)
                .contentType(ContentType.JSON).body("message", not(emptyOrNullString()));
    }
}
