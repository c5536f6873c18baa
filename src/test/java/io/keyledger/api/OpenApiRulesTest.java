package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The document shows the same rules the requests are validated by: one definition of each. */
@QuarkusTest
class OpenApiRulesTest {

    static final String SCHEMAS = "components.schemas.";

    @Test
    void schemaConstraints_comeFromTheValidationAnnotationsAndTheDomain() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body(SCHEMAS + "ServiceAccountPostInput.properties.name.pattern", equalTo(ServiceAccountNames.PATTERN))
                .body(SCHEMAS + "ServiceAccountPostInput.properties.privilege.enum", equalTo(Privilege.wireNames()))
                .body(SCHEMAS + "ServiceAccountPatchInput.properties.privilege.enum", equalTo(Privilege.wireNames()))
                .body(SCHEMAS + "ServiceAccountPostInput.properties.description.maxLength",
                        equalTo(Limits.MAX_DESCRIPTION))
                .body(SCHEMAS + "ApiKeyRotateInput.properties.grace_period_hours.minimum",
                        equalTo(Limits.MIN_GRACE_HOURS))
                .body(SCHEMAS + "ApiKeyRotateInput.properties.grace_period_hours.maximum",
                        equalTo(Limits.MAX_GRACE_HOURS));
    }
}
