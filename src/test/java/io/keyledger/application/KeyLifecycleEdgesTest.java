package io.keyledger.application;

import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.keyledger.testing.ReplayableRandom;
import io.quarkus.test.junit.QuarkusTest;
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

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void rotatingAKeyThatWasAlreadyRotated_is409_andSpawnsNoSecondSuccessor() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String id = Fixtures.createKey(org, "svc", "old");
        Api.admin(org).rotate("svc", id, "{}").statusCode(201);
        Api.admin(org).rotate("svc", id, "{}").statusCode(409).body("message", equalTo("API key was already rotated"));
        // the original (in its grace period) and exactly one successor
        Api.admin(org).listKeys("svc").statusCode(200).body("size()", equalTo(2));
    }

    @Test
    void aKeyHashCollision_isRetriedWithAFreshKey_neverA500() {
        String org = Fixtures.newOrgWithAccounts("svc");
        String first = Api.admin(org).createKey("svc", "{\"description\":\"a\"}").value();
        ReplayableRandom.replayLastKeyOnce();
        String second = Api.admin(org).createKey("svc", "{\"description\":\"b\"}").value();
        assertNotEquals(first, second);
        Api.admin(org).listKeys("svc").statusCode(200).body("size()", equalTo(2));
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
            String org = Fixtures.newOrgWithAccounts("svc");
            String patchRequest = "patch-" + UUID.randomUUID();
            CompletableFuture<Integer> patch = CompletableFuture
                    .supplyAsync(() -> Api.admin(org).header("X-Request-Id", patchRequest)
                            .patchAccount("svc", "{\"description\":\"patched\"}").extract().statusCode());
            CompletableFuture<Integer> delete = CompletableFuture
                    .supplyAsync(() -> Api.admin(org).deleteAccount("svc").extract().statusCode());
            int patchStatus = patch.get();
            assertEquals(200, delete.get());
            boolean patchCommitted = pool.preparedQuery("SELECT 1 FROM events WHERE metadata ->> 'request_id' = $1")
                    .execute(Tuple.of(patchRequest)).await().indefinitely().size() == 1;
            assertEquals(patchCommitted ? 200 : 404, patchStatus,
                    "iteration " + i + ": the PATCH committed=" + patchCommitted);
        }
    }
}
