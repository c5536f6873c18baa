package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.keyledger.events.EventCodec;
import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerChain;
import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.testing.ScratchDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An existing database upgrades in place: events recorded before the chain (V8, no hashes) and
 * events hashed under the first entry form (V9) are chained by migration V10, in order, and the
 * log then verifies clean; the append-only trigger is on again afterwards.
 */
@QuarkusTest
class LedgerUpgradeTest {

    @Test
    void migrationV10_chainsEveryExistingEvent_andTheLogVerifiesClean() throws Exception {
        ScratchDatabase database = ScratchDatabase.create("upgrade");
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");

        database.migrate("8");
        try (Connection db = database.connect()) {
            insert(db, "service-account:acme:ci", 1,
                    new ServiceAccountCreated("acme", "ci", "d", Privilege.MEMBER, at, "alice"), null);
            insert(db, "service-account:acme:ci", 2,
                    new KeyCreated("k1", "acme", "ci", "k", "ab".repeat(32), "p0", at, 0, "alice"), null);
            insert(db, "service-account:beta:ops", 1,
                    new ServiceAccountCreated("beta", "ops", "d", Privilege.ADMIN, at, "bob"), null);
        }
        database.migrate("9");
        try (Connection db = database.connect()) {
            // as V9's service wrote them: hashed, under the first form (what exactly does not matter: V10 recomputes)
            insert(db, "service-account:acme:ci", 3, new KeyRevoked("k1", "acme", "ci", at, "alice", "revoked"),
                    "1".repeat(64));
            insert(db, "service-account:beta:ops", 2,
                    new KeyCreated("k2", "beta", "ops", "k", "cd".repeat(32), "p0", at, 0, "bob"), "2".repeat(64));
        }
        database.migrate(null);

        try (Connection db = database.connect(); Statement read = db.createStatement()) {
            LedgerWalk walk = new LedgerWalk(new CheckpointCoverage(List.of()));
            try (ResultSet rows = read
                    .executeQuery("SELECT position, event_id, stream_id, stream_version, event_type, schema_version,"
                            + " data::text AS data, metadata::text AS metadata, recorded_at, transaction_id::text AS tx, prev_hash, hash"
                            + " FROM events ORDER BY stream_id COLLATE \"C\", stream_version")) {
                while (rows.next()) {
                    assertNotNull(rows.getString("hash"));
                    if (rows.getInt("stream_version") == 1) {
                        assertEquals(LedgerChain.GENESIS, rows.getString("prev_hash"));
                    }
                    walk.accept(new StoredEvent(rows.getLong("position"), rows.getObject("event_id", UUID.class),
                            rows.getString("stream_id"), rows.getInt("stream_version"), rows.getString("event_type"),
                            rows.getInt("schema_version"), new JsonObject(rows.getString("data")),
                            new JsonObject(rows.getString("metadata")),
                            rows.getObject("recorded_at", OffsetDateTime.class).toInstant(), rows.getString("tx"),
                            rows.getString("prev_hash"), rows.getString("hash")));
                }
            }
            walk.finish();
            assertNull(walk.firstBreak(), () -> walk.firstBreak().toString());
            assertEquals(5, walk.checked());
            assertThrows(SQLException.class, () -> read.execute("UPDATE events SET hash = NULL"), "append-only again");
        }
    }

    private static void insert(Connection db, String stream, int version, DomainEvent event, String hash)
            throws SQLException {
        EventCodec.Encoded encoded = EventCodec.encode(event);
        JsonObject metadata = new EventMetadata("alice", Map.of("type", "user", "subject", "alice"), "r-" + version)
                .toJson();
        boolean chained = hash != null;
        try (PreparedStatement insert = db
                .prepareStatement("INSERT INTO events (event_id, stream_id, stream_version, event_type,"
                        + " schema_version, data, metadata" + (chained ? ", prev_hash, hash" : "")
                        + ") VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb" + (chained ? ", ?, ?" : "") + ")")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, stream);
            insert.setInt(3, version);
            insert.setString(4, encoded.type());
            // KeyRevoked as V9 wrote it was v2 already; older rows may be v1, which the walk hashes as stored
            insert.setInt(5, encoded.schemaVersion());
            insert.setString(6, encoded.data().encode());
            insert.setString(7, metadata.encode());
            if (chained) {
                insert.setString(8, "0".repeat(64));
                insert.setString(9, hash);
            }
            insert.executeUpdate();
        }
    }
}
