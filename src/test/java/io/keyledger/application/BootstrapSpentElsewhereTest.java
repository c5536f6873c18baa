package io.keyledger.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.serviceaccount.OrgBootstrapped;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.VersionConflict;
import io.keyledger.store.WritePath;
import io.keyledger.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The org's bootstrap is already on the log, written by another replica (or before a restart): this replica, whose
 * token and window are fresh, refuses it, and even a write that raced past the checks stores nothing.
 */
@QuarkusTest
@TestProfile(BootstrapSpentElsewhereTest.OtherReplica.class)
class BootstrapSpentElsewhereTest {

    public static class OtherReplica extends BootstrapProfile {
    }

    @Inject
    EventStore store;

    @Inject
    KeyService keys;

    @Inject
    Pool pool;

    private long eventsOf(String streamId) {
        return pool.preparedQuery("SELECT count(*) AS n FROM events WHERE stream_id = $1").execute(Tuple.of(streamId))
                .await().atMost(Duration.ofSeconds(60)).iterator().next().getLong("n");
    }

    @Test
    void aBootstrapOnTheLog_spendsTheToken_onEveryReplica_andTheVersionZeroClaimStoresNothingOfALateWrite() {
        String org = BootstrapProfile.org();
        String stream = OrgBootstrapped.stream(org);
        EventMetadata bootstrap = new EventMetadata("bootstrap", Map.of("type", "bootstrap"), "elsewhere-1");
        // what another replica's successful bootstrap left on the shared log
        store.decideAndAppend(stream, store.streamVersion(stream),
                version -> new WritePath.Decision<>(
                        List.of(new OrgBootstrapped(org, "their-admin", "00000000-0000-4000-8000-000000000001",
                                "elsewhere-1", Instant.now().truncatedTo(ChronoUnit.MICROS), "bootstrap")),
                        version),
                bootstrap).await().atMost(Duration.ofSeconds(60));

        var refused = Api.as(BootstrapProfile.token()).bootstrap("{\"org\":\"" + org + "\",\"name\":\"our-admin\"}")
                .extract();
        assertEquals(410, refused.statusCode(), refused.asString());
        assertEquals("The org was bootstrapped already", refused.path("message"));

        // a request that passed the checks just before the other replica committed: its one transaction fails at the
        // claim on version 0 of the bootstrap stream, and neither its account nor its key is stored
        VersionConflict conflict = assertThrows(VersionConflict.class,
                () -> keys
                        .bootstrapAdmin(org, "late-admin", "late",
                                new EventMetadata("bootstrap", Map.of("type", "bootstrap"), "late-1"))
                        .await().atMost(Duration.ofSeconds(60)));
        assertEquals(stream, conflict.streamId());
        assertEquals(1, eventsOf(stream));
        assertEquals(0, pool.preparedQuery("SELECT count(*) AS n FROM events WHERE metadata ->> 'request_id' = $1")
                .execute(Tuple.of("late-1")).await().atMost(Duration.ofSeconds(60)).iterator().next().getLong("n"));
        for (String name : List.of("our-admin", "late-admin")) {
            Api.admin(org).getAccount(name).statusCode(404);
        }
        assertTrue(refused.header("Cache-Control").contains("no-store"));
    }
}
