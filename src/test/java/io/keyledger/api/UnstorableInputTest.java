package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.OneAccountTest;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Text PostgreSQL cannot store exactly is a JSON 400 naming the field, never a 500 and never a
 * 201 that echoes something other than what was stored.
 */
@QuarkusTest
class UnstorableInputTest extends OneAccountTest {

    UnstorableInputTest() {
        super("svc");
    }

    @Test
    void nulInADescription_is400NamingTheField() {
        postKey("{\"description\":\"a\\u0000b\"}").statusCode(400).contentType(ContentType.JSON)
                .body("message", equalTo("Invalid request body")).body("errors.description", containsString("NUL"));
    }

    @Test
    void unpairedSurrogateInADescription_is400NamingTheField() {
        postKey("{\"description\":\"a\\udc00b\"}").statusCode(400).body("errors.description",
                containsString("surrogate"));
        postKey("{\"description\":\"a\\ud800\"}").statusCode(400).body("errors.description",
                containsString("surrogate"));
    }

    @Test
    void pairedSurrogates_areStoredAndEchoedExactly() {
        String id = postKey("{\"description\":\"rocket \\ud83d\\ude80\"}").statusCode(201)
                .body("description", equalTo("rocket \uD83D\uDE80")).extract().path("id");
        Api.admin(org).getKey("svc", id).statusCode(200).body("description", equalTo("rocket \uD83D\uDE80"));
    }

    @Test
    void nulInAServiceAccountDescription_is400() {
        Api.admin(org).postAccount("{\"name\":\"nul\",\"description\":\"x\\u0000\",\"privilege\":\"member\"}")
                .statusCode(400).body("errors.description", containsString("NUL"));
    }

    @Test
    void nulInAPathSegment_is400NamingTheParameter() {
        given().urlEncodingEnabled(false).auth().oauth2(Tokens.admin(org))
                .get("/api/v2/service-accounts/" + org + "/svc/api-keys/abc%00def").then().statusCode(400)
                .contentType(ContentType.JSON).body("errors.key_id", containsString("NUL"));
        given().urlEncodingEnabled(false).auth().oauth2(Tokens.admin(org))
                .get("/api/v2/service-accounts/" + org + "/s%00vc/api-keys").then().statusCode(400)
                .body("errors.name", containsString("NUL"));
        given().urlEncodingEnabled(false).auth().oauth2(Tokens.admin(org))
                .delete("/api/v2/service-accounts/" + org + "%00/svc").then().statusCode(400)
                .body("errors.org", containsString("NUL"));
    }
}
