package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyGetTest {

    static final String KEYS = ApiKeyCreateTest.KEYS;

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "ci-bot");
        Fixtures.createServiceAccount(org, "other-bot");
    }

    @Test
    void get_returns404_forUnknownId() {
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", "00000000-0000-0000-0000-000000000000")
                .then().statusCode(404).contentType(ContentType.JSON).body("message", equalTo("API key not found"))
                .body("$", not(hasKey("errors")));
    }

    @Test
    void get_returns404_forKeyOfAnotherServiceAccount() {
        String id = Fixtures.createKey(org, "other-bot", "theirs");
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", id)
                .then().statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void get_returns404_forKeyOfMissingServiceAccount() {
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ghost", "abc")
                .then().statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void get_returns404_onceTheKeyHasExpired() {
        // the injected clock crosses the expiry: no dependence on how fast the machine is
        long expiresAt = System.currentTimeMillis() / 1000 + 3600;
        String id = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"short\",\"expires_at\":" + expiresAt + "}")
                .post(KEYS, org, "ci-bot").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", id).then().statusCode(200);
        try {
            io.keyledger.testing.ShiftableClock.shift(Duration.ofHours(2));
            given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", id)
                    .then().statusCode(404).body("message", equalTo("API key not found"));
        } finally {
            io.keyledger.testing.ShiftableClock.reset();
        }
    }

    @Test
    void get_returns404_afterRevocation_andRevokingAgainIs404() {
        String id = Fixtures.createKey(org, "ci-bot", "to revoke");
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "ci-bot", id)
                .then().statusCode(200).body("id", equalTo(id)).body("revoked_at", isA(Float.class));
        given().auth().oauth2(Tokens.admin(org)).get(KEYS + "/{id}", org, "ci-bot", id)
                .then().statusCode(404).body("message", equalTo("API key not found"));
        given().auth().oauth2(Tokens.admin(org)).delete(KEYS + "/{id}", org, "ci-bot", id)
                .then().statusCode(404).body("message", equalTo("API key not found"));
    }

    @Test
    void revoke_returns403_forMembers() {
        String id = Fixtures.createKey(org, "ci-bot", "kept");
        given().auth().oauth2(Tokens.member(org)).delete(KEYS + "/{id}", org, "ci-bot", id).then().statusCode(403);
        given().auth().oauth2(Tokens.member(org)).get(KEYS + "/{id}", org, "ci-bot", id).then().statusCode(200);
    }
}
