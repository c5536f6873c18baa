package io.keyledger.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail records a typed actor: a JWT whose sub imitates a service account is still a user. */
@QuarkusTest
class AuditActorTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Inject
    Pool pool;

    private JsonObject metadataOfRequest(String requestId) {
        var rows = pool.preparedQuery("SELECT metadata FROM events WHERE metadata ->> 'request_id' = $1")
                .execute(Tuple.of(requestId)).await().indefinitely();
        assertEquals(1, rows.size(), "events of request " + requestId);
        return rows.iterator().next().getJsonObject("metadata");
    }

    @Test
    void jwtImitatingAServiceAccount_andTheAccountsRealKey_areRecordedDifferently() {
        String org = Fixtures.newOrg();
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON)
                .body("{\"name\":\"ci-admin\",\"privilege\":\"admin\"}").post("/api/v2/service-accounts/{org}", org)
                .then().statusCode(201);
        var created = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"k\"}")
                .post(KEYS, org, "ci-admin").then().statusCode(201).extract();
        String keyId = created.path("id");
        String key = created.path("key");

        String spoofRequest = "spoof-" + UUID.randomUUID();
        String spoof = Tokens.withGroups("service-account:" + org + ":ci-admin", "org:" + org + ":admin");
        given().auth().oauth2(spoof).header("X-Request-Id", spoofRequest).contentType(ContentType.JSON)
                .body("{\"description\":\"by jwt\"}").post(KEYS, org, "ci-admin").then().statusCode(201);

        String realRequest = "real-" + UUID.randomUUID();
        given().auth().oauth2(key).header("X-Request-Id", realRequest).contentType(ContentType.JSON)
                .body("{\"description\":\"by key\"}").post(KEYS, org, "ci-admin").then().statusCode(201);

        JsonObject byJwt = metadataOfRequest(spoofRequest);
        assertEquals(new JsonObject().put("type", "user").put("subject", "service-account:" + org + ":ci-admin"),
                byJwt.getJsonObject("actor"));
        assertEquals(spoofRequest, byJwt.getString("request_id"));

        JsonObject byKey = metadataOfRequest(realRequest);
        assertEquals(new JsonObject().put("type", "api_key").put("key_id", keyId).put("service_account", "ci-admin"),
                byKey.getJsonObject("actor"));
        assertNotEquals(byJwt.getJsonObject("actor"), byKey.getJsonObject("actor"));
    }
}
