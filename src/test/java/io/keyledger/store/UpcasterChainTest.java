package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The upcaster chain reads a stored v1 event at a later version without rewriting the log. The
 * chain here is the shape the key-hygiene issue gives KeyRevoked v2 (a {@code reason}, "revoked"
 * for every v1), plus a v3 step to show steps compose.
 */
@QuarkusTest
class UpcasterChainTest {

    @Inject
    EventStore store;

    @Inject
    Pool pool;

    static final Upcasters CHAIN = new Upcasters(List.of(
            new Upcasters.Step(EventCodec.KEY_REVOKED, 1, v1 -> v1.put("reason", "revoked")),
            new Upcasters.Step(EventCodec.KEY_REVOKED, 2, v2 -> v2.put("reason_detail", null))));

    @Test
    void aStoredV1Event_isReadAsTheLatestVersion_andTheRowIsUntouched() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":up";
        KeyRevoked revoked = new KeyRevoked("k-1", org, "up", Instant.parse("2026-11-24T12:00:00Z"), "alice");
        pool.withTransaction(tx -> store.append(tx, stream, 0, List.of(revoked),
                new EventMetadata("alice", Map.of("type", "user", "subject", "alice"), "r"))).await().indefinitely();
        StoredEvent stored = store.readFromPosition(pool, 0, 1_000_000).await().indefinitely().stream()
                .filter(e -> e.streamId().equals(stream)).findFirst().orElseThrow();
        assertEquals(1, stored.schemaVersion());

        Upcasters.Upcasted read = CHAIN.upcast(stored.type(), stored.schemaVersion(), stored.data());
        assertEquals(3, read.schemaVersion());
        assertEquals("revoked", read.data().getString("reason"));
        assertTrue(read.data().containsKey("reason_detail"));
        assertEquals(stored.data().getString("id"), read.data().getString("id"));
        assertFalse(stored.data().containsKey("reason"), "upcasting works on a copy");
    }

    @Test
    void decode_readsEveryCurrentEvent_andRefusesAVersionItCannotReach() {
        JsonObject v1 = EventCodec.encode(new KeyRevoked("k", "o", "s", Instant.parse("2026-11-24T12:00:00Z"), "a")).data();
        assertEquals("k", ((KeyRevoked) EventCodec.decode(EventCodec.KEY_REVOKED, 1, v1)).keyId());
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode(EventCodec.KEY_REVOKED, 7, v1));
        assertThrows(IllegalArgumentException.class, () -> EventCodec.decode("NoSuchEvent", 1, v1));
    }
}
