package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.projection.Projector;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventStoreTest {

    @Inject
    Pool pool;

    @Inject
    EventStore store;

    @Inject
    Projector projector;

    @Inject
    io.keyledger.projection.ReadModel readModel;

    /** Appends to a stream of its own org, so a later projection rebuild replays it cleanly. */
    private void append(String org, int expectedVersion) {
        ServiceAccountEvent event = expectedVersion == 0
                ? new ServiceAccountCreated(org, "n", "", Privilege.ADMIN, Instant.now(), "t")
                : new KeyRevoked("no-such-key", org, "n", Instant.now(), "t");
        pool.withTransaction(
                tx -> store
                        .append(tx, "service-account:" + org + ":n", expectedVersion, List.of(event),
                                new EventMetadata("tester", java.util.Map.of("type", "user", "subject", "tester"),
                                        "r1"))
                        .chain(() -> readModel.lockedState(org, "n").load(tx))
                        .chain(snapshot -> projector.apply(tx, snapshot.state(), List.of(event), expectedVersion)))
                .await().indefinitely();
    }

    @Test
    void events_cannotBeUpdatedDeletedOrTruncated() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":n";
        append(org, 0);
        for (String sql : new String[]{"UPDATE events SET event_type = 'Tampered' WHERE stream_id = $1",
                "DELETE FROM events WHERE stream_id = $1"}) {
            var failure = assertThrows(PgException.class,
                    () -> pool.preparedQuery(sql).execute(Tuple.of(stream)).await().indefinitely());
            assertTrue(failure.getMessage().contains("append-only"), failure.getMessage());
        }
        var truncate = assertThrows(PgException.class,
                () -> pool.query("TRUNCATE events").execute().await().indefinitely());
        assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
        long count = pool.preparedQuery(
                "SELECT count(*) AS n FROM events WHERE stream_id = $1 AND event_type = 'ServiceAccountCreated'")
                .execute(Tuple.of(stream)).await().indefinitely().iterator().next().getLong("n");
        assertEquals(1, count);
    }

    @Test
    void append_rejectsASecondWriterAtTheSameStreamVersion() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":n";
        append(org, 0);
        assertThrows(VersionConflict.class, () -> append(org, 0));
        append(org, 1);
        var versions = pool.preparedQuery("SELECT stream_version FROM events WHERE stream_id = $1 ORDER BY position")
                .execute(Tuple.of(stream)).await().indefinitely();
        assertEquals(List.of(1, 2), versions.stream().map(r -> r.getInteger("stream_version")).toList());
    }

    @Test
    void eventRows_carryTypeSchemaVersionMetadataAndRecordedAt() {
        String org = Fixtures.newOrg();
        String stream = "service-account:" + org + ":n";
        append(org, 0);
        var row = pool.preparedQuery("SELECT * FROM events WHERE stream_id = $1").execute(Tuple.of(stream)).await()
                .indefinitely().iterator().next();
        assertEquals("ServiceAccountCreated", row.getString("event_type"));
        assertEquals(1, row.getInteger("schema_version"));
        assertEquals("tester", row.getJsonObject("metadata").getJsonObject("actor").getString("subject"));
        assertEquals("user", row.getJsonObject("metadata").getJsonObject("actor").getString("type"));
        assertEquals("r1", row.getJsonObject("metadata").getString("request_id"));
        assertNotNull(row.getOffsetDateTime("recorded_at"));
        assertTrue(row.getLong("position") > 0);
        assertNotNull(row.getUUID("event_id"));
    }
}
