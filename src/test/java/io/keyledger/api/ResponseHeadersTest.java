package io.keyledger.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** A key value is shown once and must never be kept by a cache: no API response may be stored. */
@QuarkusTest
class ResponseHeadersTest {

    @Test
    void responsesCarryingAKeyValue_andEveryOtherApiResponse_areNoStore() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String id = Api.admin(org).postKey("svc", "{\"description\":\"d\"}").statusCode(201)
                .header("Cache-Control", equalTo("no-store")).extract().path("id");
        Api.admin(org).rotate("svc", id, "{}").statusCode(201).header("Cache-Control", equalTo("no-store"));
        Api.admin(org).listKeys("svc").statusCode(200).header("Cache-Control", equalTo("no-store"));
        Api.admin(org).getKey("svc", "missing").statusCode(404).header("Cache-Control", equalTo("no-store"));
        given().get(Api.KEYS, org, "svc").then().statusCode(401).header("Cache-Control", equalTo("no-store"));
    }
}
