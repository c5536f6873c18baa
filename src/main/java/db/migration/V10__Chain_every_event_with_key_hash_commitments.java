package db.migration;

import io.keyledger.ledger.LedgerChain;
import io.keyledger.store.LedgerEntry;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Chains every existing event, stream by stream in version order, under the ledger entry form the
 * service now writes ({@link LedgerEntry}: the key hash as a SHA-256 commitment). It fills the
 * hashes of events recorded before V9 and recomputes those V9 wrote under the first form, so an
 * existing database upgrades in place and verifies clean. Only {@code prev_hash} and {@code hash}
 * change, with the append-only trigger off for this transaction alone. Checkpoints signed before
 * (LedgerCheckpoint v1) stay in the log but are not re-checked: they signed the first form.
 */
public class V10__Chain_every_event_with_key_hash_commitments extends BaseJavaMigration {

    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            // the verifier walks streams in code-point order (the Merkle leaves' order), whatever the database
            // collation
            ddl.execute(
                    "CREATE INDEX events_by_stream_code_points ON events (stream_id COLLATE \"C\", stream_version)");
            ddl.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete");
        }
        try (Statement read = connection.createStatement();
                PreparedStatement update = connection
                        .prepareStatement("UPDATE events SET prev_hash = ?, hash = ? WHERE position = ?")) {
            read.setFetchSize(BATCH);
            try (ResultSet rows = read
                    .executeQuery("SELECT position, stream_id, stream_version, event_type, schema_version,"
                            + " data::text AS data, metadata::text AS metadata, recorded_at FROM events"
                            + " ORDER BY stream_id COLLATE \"C\", stream_version")) {
                String stream = null;
                String prev = LedgerChain.GENESIS;
                int pending = 0;
                while (rows.next()) {
                    String streamId = rows.getString("stream_id");
                    if (!streamId.equals(stream)) {
                        stream = streamId;
                        prev = LedgerChain.GENESIS;
                    }
                    String metadata = rows.getString("metadata");
                    byte[] entry = LedgerEntry.of(streamId, rows.getInt("stream_version"), rows.getString("event_type"),
                            rows.getInt("schema_version"), new JsonObject(rows.getString("data")),
                            metadata == null ? null : new JsonObject(metadata),
                            rows.getObject("recorded_at", OffsetDateTime.class).toInstant());
                    String hash = LedgerChain.hash(prev, entry);
                    update.setString(1, prev);
                    update.setString(2, hash);
                    update.setLong(3, rows.getLong("position"));
                    update.addBatch();
                    prev = hash;
                    if (++pending == BATCH) {
                        update.executeBatch();
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    update.executeBatch();
                }
            }
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete");
        }
    }
}
