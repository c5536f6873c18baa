package io.keyledger.auth;

import static org.awaitility.Awaitility.await;

import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.WritePath;
import io.keyledger.testing.Api;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A revocation made by another replica reaches this one's verification cache through the
 * event stream. The revocation is written here straight to the store, as another replica
 * would, without this replica's local cache eviction; the cache TTL (60 s) is far longer than
 * the wait, so only the Kafka path can make the key stop working in time.
 */
@QuarkusTest
class CrossReplicaInvalidationTest {

    @Inject
    Pool pool;

    @Inject
    EventStore store;

    @Inject
    ReadModel readModel;

    @Test
    void keyRevokedElsewhere_stopsAuthenticatingHere_viaTheEventStream() {
        String org = Fixtures.newOrgWithAccounts("edge");
        Api.Key created = Api.admin(org).createKey("edge", "{\"description\":\"cached\"}");
        String keyId = created.id();
        String key = created.value();
        Api.as(key, org).listKeys("edge").statusCode(200); // now cached

        // straight to the store, as another replica's write: no local cache eviction here
        List<ServiceAccountEvent> revoke = List.of(new KeyRevoked(keyId, org, "edge", Instant.now(), "other-replica"));
        store.decideAndAppend("service-account:" + org + ":edge", readModel.lockedState(org, "edge"),
                state -> new WritePath.Decision<>(revoke, true),
                new EventMetadata("other-replica", java.util.Map.of("type", "user", "subject", "other-replica"), "x"))
                .await().indefinitely();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> Api.as(key, org).listKeys("edge").statusCode(401));
    }
}
