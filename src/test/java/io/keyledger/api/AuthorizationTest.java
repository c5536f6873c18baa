package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizationTest {

    static final String FORBIDDEN = "You don't have permission to access this resource";

    String org;
    String keyId;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("ci-bot");
        keyId = Fixtures.createKey(org, "ci-bot", "k");
    }

    @Test
    void requests_return401Json_withoutCredentials() {
        given().contentType(ContentType.JSON).body("{\"description\":\"x\"}").post(Api.KEYS, org, "ci-bot").then()
                .statusCode(401).contentType(ContentType.JSON).body("message", not(emptyOrNullString()))
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().get(Api.KEY, org, "ci-bot", keyId).then().statusCode(401).contentType(ContentType.JSON).body("message",
                not(emptyOrNullString()));
        given().get(Api.ACCOUNT, org, "ci-bot").then().statusCode(401).contentType(ContentType.JSON);
    }

    @Test
    void requests_return401Json_forInvalidExpiredOrForeignTokens() {
        for (String token : new String[]{"not-a-jwt", Tokens.expired(org), Tokens.wrongIssuer(org),
                Tokens.admin(org).substring(0, Tokens.admin(org).length() - 4) + "AAAA"}) {
            Api.as(token, org).getKey("ci-bot", keyId).statusCode(401).contentType(ContentType.JSON)
                    .body("message", equalTo("Invalid or expired credentials")).body(not(containsString("Exception")));
        }
    }

    @Test
    void create_returns403_forMemberOrOtherOrgAdmin() {
        for (String token : new String[]{Tokens.member(org), Tokens.admin("other-org"),
                Tokens.withGroups("x", "admin")}) {
            Api.as(token, org).postKey("ci-bot", "{\"description\":\"x\"}").statusCode(403).body("message",
                    equalTo(FORBIDDEN));
        }
    }

    @Test
    void permission_isDecidedBeforeExistence_soOtherOrgsCannotProbeNames() {
        String outsider = Tokens.admin("other-org");
        Api.as(outsider, org).getKey("ci-bot", keyId).statusCode(403).body("message", equalTo(FORBIDDEN));
        Api.as(outsider, org).getKey("no-such-account", "no-such-key").statusCode(403).body("message",
                equalTo(FORBIDDEN));
        Api.as(outsider, org).postKey("no-such-account", "not json").statusCode(403);
        Api.as(outsider, org).getAccount("no-such-account").statusCode(403);
    }

    @Test
    void get_allowsAdminsAndMembers_only() {
        Api.admin(org).getKey("ci-bot", keyId).statusCode(200);
        Api.member(org).getKey("ci-bot", keyId).statusCode(200);
        Api.as(Tokens.withGroups("r", "org:" + org + ":reader"), org).getKey("ci-bot", keyId).statusCode(403)
                .body("message", equalTo(FORBIDDEN));
    }

    @Test
    void unknownRoutes_returnJson404() {
        given().auth().oauth2(Tokens.admin(org)).get("/api/v2/nothing-here").then().statusCode(404)
                .contentType(ContentType.JSON).body("message", not(emptyOrNullString()));
    }
}
