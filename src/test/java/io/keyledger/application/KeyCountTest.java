package io.keyledger.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyledger.events.EventCodec;
import io.keyledger.serviceaccount.KeysToLoad;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.store.EventMetadata;
import io.keyledger.testing.ReadModelChecks;
import io.keyledger.testing.ShiftableClock;
import io.keyledger.testing.WriteSideTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A create decides on the account row's unrevoked-key count (and, at the cap, the keys that lapse
 * soonest), never on every key. The count must therefore always equal the number of unrevoked key
 * rows and the count folded from the stream: through creates, revokes, rotations with a grace
 * period, expiries, deletes and a rebuild. The cap itself must decide as before.
 */
@QuarkusTest
class KeyCountTest extends WriteSideTest {

    static final EventMetadata METADATA = new EventMetadata("count", Map.of("type", "user", "subject", "count"),
            "count");

    @Inject
    ExpiryScanner scanner;

    @Inject
    Clock clock;

    @AfterEach
    void resetClock() {
        ShiftableClock.reset();
    }

    @Test
    void theCount_followsCreateRevokeRotateExpiryDeleteAndARebuild() {
        String org = "count-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(org, "svc", "d", Privilege.MEMBER, METADATA).await().indefinitely();
        assertCount(org, "svc", 0);
        long now = clock.instant().getEpochSecond();
        String never = keys.create(org, "svc", "never", 0, null, null, METADATA).await().indefinitely().id();
        String expiring = keys.create(org, "svc", "expiring", now + 2 * 3600, null, null, METADATA).await()
                .indefinitely().id();
        String doomed = keys.create(org, "svc", "doomed", 0, null, null, METADATA).await().indefinitely().id();
        assertCount(org, "svc", 3);

        keys.revoke(org, "svc", doomed, METADATA).await().indefinitely();
        assertCount(org, "svc", 2);

        // the rotated key stays unrevoked through its grace period; its replacement adds one
        String replacement = keys.rotate(org, "svc", never, 1, null, null, null, METADATA).await().indefinitely()
                .issued().id();
        assertCount(org, "svc", 3);
        assertEquals(3, activeAt(org, "svc"));

        // past the grace period and the expiry: still unrevoked (counted), no longer active
        ShiftableClock.shift(Duration.ofHours(3));
        scanner.scanOnce();
        assertEquals(List.of("KeyCreated", "KeyExpired"), keyEventTypes(org, "svc", expiring));
        assertCount(org, "svc", 3);
        assertEquals(1, activeAt(org, "svc"));

        List<String> before = ReadModelChecks.tables(pool, org);
        projector.rebuild().await().indefinitely();
        assertEquals(before, ReadModelChecks.tables(pool, org), "a rebuild gives the same rows, counts included");
        assertCount(org, "svc", 3);

        assertEquals(3, accounts.delete(org, "svc", METADATA).await().indefinitely());
        assertCount(org, "svc", 0);
        accounts.create(org, "svc", "again", Privilege.MEMBER, METADATA).await().indefinitely();
        assertCount(org, "svc", 0);
        keys.create(org, "svc", "new", 0, null, null, METADATA).await().indefinitely();
        assertCount(org, "svc", 1);
        assertEquals(replacement.length(), never.length());
    }

    @Test
    void atTheCap_aCreateFitsOnlyWhenEnoughKeysHaveLapsed() {
        String org = "cap-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(org, "full", "d", Privilege.MEMBER, METADATA).await().indefinitely();
        long now = clock.instant().getEpochSecond();
        keys.create(org, "full", "soon-1", now + 3600, null, null, METADATA).await().indefinitely();
        keys.create(org, "full", "soon-2", now + 3600, null, null, METADATA).await().indefinitely();
        keys.create(org, "full", "later", now + 30 * 86_400L, null, null, METADATA).await().indefinitely();
        for (int i = 3; i < 100; i++) {
            keys.create(org, "full", "k" + i, 0, null, null, METADATA).await().indefinitely();
        }
        assertCount(org, "full", 100);
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class,
                        () -> keys.create(org, "full", "over", 0, null, null, METADATA).await().indefinitely())
                        .reason());

        // two keys lapse: two more fit, then the cap holds again
        ShiftableClock.shift(Duration.ofHours(2));
        keys.create(org, "full", "in-1", 0, null, null, METADATA).await().indefinitely();
        assertCount(org, "full", 101);
        keys.create(org, "full", "in-2", 0, null, null, METADATA).await().indefinitely();
        assertCount(org, "full", 102);
        assertEquals(100, activeAt(org, "full"));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class,
                        () -> keys.create(org, "full", "over", 0, null, null, METADATA).await().indefinitely())
                        .reason());
    }

    /** The row's count, the unrevoked key rows and the count folded from the stream all agree. */
    private void assertCount(String org, String name, int expected) {
        int row = pool.preparedQuery("SELECT unrevoked_keys FROM service_accounts WHERE org = $1 AND name = $2")
                .execute(Tuple.of(org, name)).await().indefinitely().iterator().next().getInteger("unrevoked_keys");
        long keyRows = pool.preparedQuery(
                "SELECT count(*) AS n FROM api_keys WHERE org = $1 AND service_account = $2 AND revoked_at IS NULL")
                .execute(Tuple.of(org, name)).await().indefinitely().iterator().next().getLong("n");
        ServiceAccount created = pool
                .withTransaction(tx -> readModel.lockedState(org, name, KeysToLoad.roomForOne(100)).load(tx)).await()
                .indefinitely().state();
        assertEquals(expected, row, "row count");
        assertEquals(expected, keyRows, "unrevoked key rows");
        assertEquals(expected, fold(org, name).unrevokedKeyCount(), "folded count");
        assertEquals(expected, created.unrevokedKeyCount(), "count the create loader reads");
    }

    private long activeAt(String org, String name) {
        return fold(org, name).activeKeyCount(clock.instant());
    }

    private ServiceAccount fold(String org, String name) {
        List<ServiceAccountEvent> events = new ArrayList<>();
        for (Row row : pool.preparedQuery(
                "SELECT event_type, schema_version, data FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("service-account:" + org + ":" + name)).await().indefinitely()) {
            events.add((ServiceAccountEvent) EventCodec.decode(row.getString("event_type"),
                    row.getInteger("schema_version"), row.getJsonObject("data")));
        }
        return ServiceAccountDecider.fold(events);
    }

    private List<String> keyEventTypes(String org, String name, String keyId) {
        List<String> types = new ArrayList<>();
        pool.preparedQuery(
                "SELECT event_type FROM events WHERE stream_id = $1 AND data ->> 'id' = $2 ORDER BY position")
                .execute(Tuple.of("service-account:" + org + ":" + name, keyId)).await().indefinitely()
                .forEach(r -> types.add(r.getString("event_type")));
        return types;
    }
}
