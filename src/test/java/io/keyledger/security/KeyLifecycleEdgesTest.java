package io.keyledger.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Fixtures;
import io.keyledger.testing.KafkaTopics;
import io.keyledger.testing.RealServices;
import io.keyledger.testing.ReplayableRandom;
import io.keyledger.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The smaller points of the security review. */
@QuarkusTest
class KeyLifecycleEdgesTest {

    static final String KEYS = "/api/v2/service-accounts/{org}/{name}/api-keys";

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void rotatingAKeyThatWasAlreadyRotated_is409_andSpawnsNoSecondSuccessor() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        String id = Fixtures.createKey(org, "svc", "old");
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", id).then().statusCode(201);
        given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{}")
                .post(KEYS + "/{id}/rotate", org, "svc", id).then().statusCode(409)
                .body("message", equalTo("API key was already rotated"));
        // the original (in its grace period) and exactly one successor
        given().auth().oauth2(Tokens.admin(org)).get(KEYS, org, "svc").then().statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void aKeyHashCollision_isRetriedWithAFreshKey_neverA500() {
        String org = Fixtures.newOrg();
        Fixtures.createServiceAccount(org, "svc");
        String first = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"a\"}")
                .post(KEYS, org, "svc").then().statusCode(201).extract().path("key");
        ReplayableRandom.replayLastKeyOnce();
        String second = given().auth().oauth2(Tokens.admin(org)).contentType(ContentType.JSON).body("{\"description\":\"b\"}")
                .post(KEYS, org, "svc").then().statusCode(201).extract().path("key");
        assertNotEquals(first, second);
        given().auth().oauth2(Tokens.admin(org)).get(KEYS, org, "svc").then().statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void cacheInvalidationListener_createsNoConsumerGroup() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> groups = new ArrayList<>();
            for (ConsumerGroupListing listing : admin.listConsumerGroups().all().get()) {
                groups.add(listing.groupId());
            }
            assertTrue(groups.stream().noneMatch(g -> g.startsWith("keyledger-cache")), groups.toString());
        }
    }

    @Test
    void anUpdateThatCommitted_alwaysAnswersWithWhatItWrote_evenWhenADeleteFollowsAtOnce() throws Exception {
        for (int i = 0; i < 15; i++) {
            String org = Fixtures.newOrg();
            Fixtures.createServiceAccount(org, "svc");
            String patchRequest = "patch-" + UUID.randomUUID();
            CompletableFuture<Integer> patch = CompletableFuture.supplyAsync(() -> given().auth().oauth2(Tokens.admin(org))
                    .header("X-Request-Id", patchRequest).contentType(ContentType.JSON)
                    .body("{\"description\":\"patched\"}").patch("/api/v2/service-accounts/{org}/{name}", org, "svc")
                    .then().extract().statusCode());
            CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(() -> given().auth().oauth2(Tokens.admin(org))
                    .delete("/api/v2/service-accounts/{org}/{name}", org, "svc").then().extract().statusCode());
            int patchStatus = patch.get();
            assertEquals(200, delete.get());
            boolean patchCommitted = pool.preparedQuery("SELECT 1 FROM events WHERE metadata ->> 'request_id' = $1")
                    .execute(Tuple.of(patchRequest)).await().indefinitely().size() == 1;
            assertEquals(patchCommitted ? 200 : 404, patchStatus, "iteration " + i + ": the PATCH committed=" + patchCommitted);
        }
    }
}
