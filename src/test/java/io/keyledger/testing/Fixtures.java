package io.keyledger.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.UUID;

/** Small helpers for arranging state through the real API. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A fresh org name per test, so tests never see each other's data. */
    public static String newOrg() {
        return "org-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static void createServiceAccount(String org, String name) {
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"description\":\"ci\",\"privilege\":\"member\"}")
                .post("/api/v2/service-accounts/{org}", org)
                .then().statusCode(201);
    }

    /** Creates a key and returns its id. */
    public static String createKey(String org, String name, String description) {
        return given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"" + description + "\"}")
                .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, name)
                .then().statusCode(201).extract().path("id");
    }
}
