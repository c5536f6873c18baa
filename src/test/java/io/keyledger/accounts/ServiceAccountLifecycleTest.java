package io.keyledger.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceAccountLifecycleTest {

    static final String ACCOUNTS = "/api/v2/service-accounts/{org}";
    static final String ACCOUNT = ACCOUNTS + "/{name}";
    static final String KEYS = ACCOUNT + "/api-keys";

    @Inject
    Pool pool;

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "beta");
        Fixtures.createServiceAccount(org, "alpha");
    }

    @Test
    void list_returnsTheOrgsAccountsByName() {
        given().auth().oauth2(Tokens.member(org)).get(ACCOUNTS, org).then().statusCode(200)
                .body("name", equalTo(List.of("alpha", "beta"))).body("[0].privilege", equalTo("member"));
        given().auth().oauth2(Tokens.member("other")).get(ACCOUNTS, org).then().statusCode(403);
    }

    @Test
    void patch_changesDescriptionAndPrivilege_andTheKeysPrivilegeFollowsAtOnce() {
        String key = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"k\"}")
                .post(KEYS, org, "alpha").then().statusCode(201).extract().path("key");
        // member privilege: may read, may not manage
        given().auth().oauth2(key).contentType(ContentType.JSON).body("{\"description\":\"x\"}").post(KEYS, org, "alpha")
                .then().statusCode(403);

        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"privilege\":\"admin\",\"description\":\"promoted\"}").patch(ACCOUNT, org, "alpha")
                .then().statusCode(200).body("privilege", equalTo("admin")).body("description", equalTo("promoted"));
        given().auth().oauth2(key).contentType(ContentType.JSON).body("{\"description\":\"x\"}").post(KEYS, org, "alpha")
                .then().statusCode(201);

        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"only text\"}")
                .patch(ACCOUNT, org, "alpha").then().statusCode(200).body("privilege", equalTo("admin"))
                .body("description", equalTo("only text"));
    }

    @Test
    void patch_validatesItsBody_andAnswers404And403() {
        for (String body : new String[]{"{}", "{\"privilege\":\"root\"}", "{\"description\":5}", "[]"}) {
            given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body(body).patch(ACCOUNT, org, "alpha")
                    .then().statusCode(400).body("errors", notNullValue());
        }
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .patch(ACCOUNT, org, "ghost").then().statusCode(404).body("message", equalTo("Service account not found"));
        given().auth().oauth2(Tokens.member(org)).contentType(ContentType.JSON).body("{\"description\":\"x\"}")
                .patch(ACCOUNT, org, "alpha").then().statusCode(403);
    }

    @Test
    void delete_revokesEveryKeyWithAnEvent_andTheKeysStopWorking() {
        String key1 = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"1\"}")
                .post(KEYS, org, "beta").then().statusCode(201).extract().path("key");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"2\"}")
                .post(KEYS, org, "beta").then().statusCode(201);
        given().auth().oauth2(key1).get(KEYS, org, "beta").then().statusCode(200);

        given().auth().oauth2(Tokens.admin(org)).delete(ACCOUNT, org, "beta").then().statusCode(200)
                .body("name", equalTo("beta")).body("revoked_keys", equalTo(2));

        given().auth().oauth2(key1).get(KEYS, org, "beta").then().statusCode(401);
        given().auth().oauth2(Tokens.admin(org)).get(ACCOUNT, org, "beta").then().statusCode(404);
        given().auth().oauth2(Tokens.admin(org)).delete(ACCOUNT, org, "beta").then().statusCode(404);
        List<String> types = pool.preparedQuery("SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("service-account:" + org + ":beta")).await().indefinitely()
                .stream().map(r -> r.getString("event_type")).toList();
        Assertions.assertEquals(List.of("ServiceAccountCreated", "KeyCreated", "KeyCreated", "KeyRevoked", "KeyRevoked",
                "ServiceAccountDeleted"), types);

        // the name can be used again; its stream carries on
        Fixtures.createServiceAccount(org, "beta");
        given().auth().oauth2(Tokens.admin(org)).get(KEYS, org, "beta").then().statusCode(200).body("$", empty());
    }
}
