package io.keyledger.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** A key value is shown once and must never be kept by a cache: no API response may be stored. */
@QuarkusTest
class ResponseHeadersTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Test
    void responsesCarryingAKeyValue_andEveryOtherApiResponse_areNoStore() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        String id = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"d\"}")
                .post(KEYS, org, "svc").then().statusCode(201).header("Cache-Control", equalTo("no-store"))
                .extract().path("id");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", id).then().statusCode(201).header("Cache-Control", equalTo("no-store"));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS, org, "svc").then().statusCode(200)
                .header("Cache-Control", equalTo("no-store"));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "svc", "missing").then().statusCode(404)
                .header("Cache-Control", equalTo("no-store"));
        given().get(KEYS, org, "svc").then().statusCode(401).header("Cache-Control", equalTo("no-store"));
    }
}
