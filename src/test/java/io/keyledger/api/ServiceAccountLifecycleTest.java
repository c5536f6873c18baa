package io.keyledger.api;

import static org.hamcrest.Matchers.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServiceAccountLifecycleTest {

    @Inject
    Pool pool;

    String org;

    @BeforeEach
    void arrange() {
        org = Fixtures.newOrgWithAccounts("beta", "alpha");
    }

    @Test
    void list_returnsTheOrgsAccountsByName() {
        Api.member(org).listAccounts().statusCode(200).body("name", equalTo(List.of("alpha", "beta")))
                .body("[0].privilege", equalTo("member"));
        Api.as(Tokens.member("other"), org).listAccounts().statusCode(403);
    }

    @Test
    void patch_changesDescriptionAndPrivilege_andTheKeysPrivilegeFollowsAtOnce() {
        String key = Api.admin(org).createKey("alpha", "{\"description\":\"k\"}").value();
        // member privilege: may read, may not manage
        Api.as(key, org).postKey("alpha", "{\"description\":\"x\"}").statusCode(403);

        Api.admin(org).patchAccount("alpha", "{\"privilege\":\"admin\",\"description\":\"promoted\"}").statusCode(200)
                .body("privilege", equalTo("admin")).body("description", equalTo("promoted"));
        Api.as(key, org).postKey("alpha", "{\"description\":\"x\"}").statusCode(201);

        Api.admin(org).patchAccount("alpha", "{\"description\":\"only text\"}").statusCode(200)
                .body("privilege", equalTo("admin")).body("description", equalTo("only text"));
    }

    @Test
    void patch_validatesItsBody_andAnswers404And403() {
        for (String body : new String[]{"{}", "{\"privilege\":\"root\"}", "{\"description\":5}", "[]"}) {
            Api.admin(org).patchAccount("alpha", body).statusCode(400).body("errors", notNullValue());
        }
        Api.admin(org).patchAccount("ghost", "{\"description\":\"x\"}").statusCode(404).body("message",
                equalTo("Service account not found"));
        Api.member(org).patchAccount("alpha", "{\"description\":\"x\"}").statusCode(403);
    }

    @Test
    void delete_revokesEveryKeyWithAnEvent_andTheKeysStopWorking() {
        String key1 = Api.admin(org).createKey("beta", "{\"description\":\"1\"}").value();
        Api.admin(org).postKey("beta", "{\"description\":\"2\"}").statusCode(201);
        Api.as(key1, org).listKeys("beta").statusCode(200);

        Api.admin(org).deleteAccount("beta").statusCode(200).body("name", equalTo("beta")).body("revoked_keys",
                equalTo(2));

        Api.as(key1, org).listKeys("beta").statusCode(401);
        Api.admin(org).getAccount("beta").statusCode(404);
        Api.admin(org).deleteAccount("beta").statusCode(404);
        List<String> types = pool
                .preparedQuery("SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("service-account:" + org + ":beta")).await().indefinitely().stream()
                .map(r -> r.getString("event_type")).toList();
        Assertions.assertEquals(List.of("ServiceAccountCreated", "KeyCreated", "KeyCreated", "KeyRevoked", "KeyRevoked",
                "ServiceAccountDeleted"), types);

        // the name can be used again; its stream carries on
        Fixtures.createServiceAccount(org, "beta");
        Api.admin(org).listKeys("beta").statusCode(200).body("$", empty());
    }
}
