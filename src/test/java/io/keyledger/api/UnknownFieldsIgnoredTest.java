package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.ConfigOverrides;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Issue 21 §6: KEYLEDGER_API_UNKNOWN_FIELDS=ignore keeps the old behaviour, extra fields are passed over. */
@QuarkusTest
@TestProfile(UnknownFieldsIgnoredTest.Ignore.class)
class UnknownFieldsIgnoredTest {

    public static class Ignore extends ConfigOverrides {
        public Ignore() {
            super("keyledger.api.unknown-fields", "ignore");
        }
    }

    @Test
    void unknownFields_areIgnored_whenConfiguredSo() {
        String org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"x6\",\"privilege\":\"member\",\"desription\":\"typo\"}")
                .post("/api/v2/service-accounts/{org}", org).then().statusCode(201)
                .body("description", anyOf(nullValue(), emptyString()));
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"deploys\",\"expires_att\":4102444000}")
                .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, "x6").then().statusCode(201)
                .body("expires_at", equalTo(0)); // 0: never expires, as today
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"description\":\"d\",\"id\":\"mine\",\"key\":\"kl_chosen\",\"created_at\":1,\"colour\":\"red\"}")
                .post("/api/v2/service-accounts/{org}/{name}/api-keys", org, "x6").then().statusCode(201)
                .body("id", not(equalTo("mine")))
                .body("key", not(equalTo("kl_chosen")))
                .body("created_at", greaterThan(1.7e9f))
                .body("$", not(hasKey("colour")));
    }
}
