package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.events.EventCodec;
import io.keyledger.events.Upcasters;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The upcaster chain reads a stored v1 event at the current version without rewriting the log:
 * a KeyRevoked written before v2 (no reason) reads as v2 with reason "revoked". A second,
 * test-only chain shows that steps compose.
 */
@QuarkusTest
class UpcasterChainTest {

    @Inject
    EventLog log;

    @Inject
    Pool pool;

    @Test
    void aStoredV1KeyRevoked_isReadAsV2WithReasonRevoked_andTheRowIsUntouched() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":up";
        // a row as keyledger wrote it before KeyRevoked v2
        JsonObject v1 = new JsonObject().put("id", "k-1").put("org", org).put("service_account", "up")
                .put("revoked_at", "2026-11-24T12:00:00Z").put("revoked_by", "alice");
        pool.preparedQuery(
                "INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)"
                        + " VALUES ($1, $2, 1, 'KeyRevoked', 1, $3, $4)")
                .execute(Tuple.of(UUID.randomUUID(), stream, v1, new JsonObject().put("actor", "alice"))).await()
                .indefinitely();
        StoredEvent stored = log.readStream(stream, 0, 10).await().indefinitely().get(0);
        assertEquals(1, stored.schemaVersion());

        KeyRevoked read = (KeyRevoked) EventCodec.decode(stored.type(), stored.schemaVersion(), stored.data());
        assertEquals(KeyRevoked.REVOKED, read.reason());
        assertEquals("k-1", read.keyId());
        assertFalse(stored.data().containsKey("reason"), "upcasting works on a copy");
        assertFalse(log.readStream(stream, 0, 10).await().indefinitely().get(0).data().containsKey("reason"),
                "the stored row is never rewritten");
    }

    @Test
    void stepsCompose_andAVersionWithoutAPathIsRefused() {
        Upcasters chain = new Upcasters(List.of(new Upcasters.Step("T", 1, v1 -> v1.put("a", 1)),
                new Upcasters.Step("T", 2, v2 -> v2.put("b", v2.getInteger("a") + 1))));
        Upcasters.Upcasted read = chain.upcast("T", 1, new JsonObject());
        assertEquals(3, read.schemaVersion());
        assertEquals(new JsonObject().put("a", 1).put("b", 2), read.data());
        JsonObject current = EventCodec
                .encode(new KeyRevoked("k", "o", "s", java.time.Instant.parse("2026-11-24T12:00:00Z"), "a")).data();
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(EventCodec.KEY_REVOKED, 7, current));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode("NoSuchEvent", 1, current));
    }
}
