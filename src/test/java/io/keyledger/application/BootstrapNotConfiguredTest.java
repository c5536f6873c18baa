package io.keyledger.application;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Without KEYLEDGER_AUTH_BOOTSTRAP_TOKEN_FILE (the default) there is no bootstrap: 404 to any token, JWTs too. */
@QuarkusTest
class BootstrapNotConfiguredTest {

    @Test
    void withoutATokenFile_bootstrapIs404_forAnyCaller() {
        String body = "{\"org\":\"acme\",\"name\":\"admin-bot\"}";
        Api.as("a-token-that-is-long-enough-to-be-a-bootstrap-token").bootstrap(body).statusCode(404)
                .contentType(ContentType.JSON).header("Cache-Control", "no-store")
                .body("message", equalTo("Bootstrap is not configured"));
        given().contentType(ContentType.JSON).body(body).post(Api.BOOTSTRAP).then().statusCode(404).body("message",
                equalTo("Bootstrap is not configured"));
        Api.admin("acme").bootstrap(body).statusCode(404).body("message", equalTo("Bootstrap is not configured"));
    }
}
