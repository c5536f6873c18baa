package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail records a typed actor: a JWT whose sub imitates a service account is still a user. */
@QuarkusTest
class AuditActorTest {

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
        Api.admin(org).postAccount("{\"name\":\"ci-admin\",\"privilege\":\"admin\"}").statusCode(201);
        Api.Key created = Api.admin(org).createKey("ci-admin", "{\"description\":\"k\"}");
        String keyId = created.id();
        String key = created.value();

        String spoofRequest = "spoof-" + UUID.randomUUID();
        String spoof = Tokens.withGroups("service-account:" + org + ":ci-admin", "org:" + org + ":admin");
        Api.as(spoof, org).header("X-Request-Id", spoofRequest).postKey("ci-admin", "{\"description\":\"by jwt\"}")
                .statusCode(201);

        String realRequest = "real-" + UUID.randomUUID();
        Api.as(key, org).header("X-Request-Id", realRequest).postKey("ci-admin", "{\"description\":\"by key\"}")
                .statusCode(201);

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
