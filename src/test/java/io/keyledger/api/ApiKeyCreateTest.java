package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyCreateTest {

    private static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    String org;

    @BeforeEach
    void serviceAccount() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "ci-bot");
    }

    @Test
    void create_returns201_withKeyShownOnce_andGetReturnsIt() {
        long expiresAt = System.currentTimeMillis() / 1000 + 3600;
        var created = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"deploys\",\"expires_at\":" + expiresAt + "}")
                .post(KEYS, org, "ci-bot")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("id", not(emptyString()))
                .body("key", matchesPattern("kl_[0-9A-Za-z]{36}"))
                .body("description", equalTo("deploys"))
                .body("created_at", isA(Float.class))
                .body("expires_at", equalTo((int) expiresAt))
                .extract();
        String id = created.path("id");
        String raw = created.asString();
        assertTrue(raw.matches(".*\"created_at\":\\d{10}\\.\\d{6}.*"), raw);

        given().auth().oauth2(Tokens.member(org))
                .get(KEYS + "/{id}", org, "ci-bot", id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("description", equalTo("deploys"))
                .body("expires_at", equalTo((int) expiresAt))
                .body("$", hasKey("last_used_at"))
                .body("last_used_at", nullValue())
                .body("$", not(hasKey("key")));
    }
}
