package io.keyledger.store;

import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.ledger.StreamHead;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the ledger checkpointer and verifiers ask of the {@code events} table: the commit horizon, the stream heads
 * below it, and the checkpoints recorded so far.
 */
@ApplicationScoped
public class CheckpointQueries {

    @Inject
    Pool pool;

    static final String CHECKPOINT_CLAIMS = "SELECT position, data FROM events WHERE stream_id = 'ledger'"
            + " AND event_type = 'LedgerCheckpoint' AND schema_version >= 2 ORDER BY stream_version";

    static final String SNAPSHOT_XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin";
    static final String LAST_POSITION_BELOW = "SELECT coalesce(max(position), 0) AS position FROM events"
            + " WHERE stream_id <> 'ledger' AND transaction_id < $1::text::xid8";
    static final String HEADS_BELOW = "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events"
            + " WHERE stream_id <> 'ledger' AND hash IS NOT NULL AND transaction_id < $1::text::xid8"
            + " ORDER BY stream_id, stream_version DESC";
    static final String LATEST_CHECKPOINT = "SELECT " + EventLog.COLUMNS + " FROM events WHERE stream_id = 'ledger'"
            + " ORDER BY stream_version DESC LIMIT 1";

    /** The oldest transaction still running: every event below it has committed. */
    public Uni<String> snapshotXmin() {
        return pool.query(SNAPSHOT_XMIN).execute().map(rows -> rows.iterator().next().getString("xmin"));
    }

    /** The last position written by a transaction below {@code xmin}, outside the ledger stream. */
    public Uni<Long> lastPositionBelow(String xmin) {
        return pool.preparedQuery(LAST_POSITION_BELOW).execute(Tuple.of(xmin))
                .map(rows -> rows.iterator().next().getLong("position"));
    }

    /** Each stream's latest hashed event written by a transaction below {@code xmin}, in stream-id order (code units). */
    public Uni<List<StreamHead>> headsBelow(String xmin) {
        return pool.preparedQuery(HEADS_BELOW).execute(Tuple.of(xmin)).map(rows -> {
            List<StreamHead> heads = new ArrayList<>(rows.size());
            for (Row row : rows) {
                heads.add(new StreamHead(row.getString("stream_id"), row.getInteger("stream_version"),
                        row.getString("hash")));
            }
            heads.sort(java.util.Comparator.comparing(StreamHead::streamId, MerkleTree.STREAM_ORDER));
            return heads;
        });
    }

    /** Every checkpoint signed over the current ledger entry form (LedgerCheckpoint v2 and later), in order. */
    public Uni<List<CheckpointCoverage.Claim>> checkpointClaims() {
        return pool.query(CHECKPOINT_CLAIMS).execute().map(rows -> {
            List<CheckpointCoverage.Claim> claims = new ArrayList<>(rows.size());
            for (Row row : rows) {
                JsonObject data = row.getJsonObject("data");
                claims.add(new CheckpointCoverage.Claim(row.getLong("position"), data.getLong("position"),
                        data.getString("covers_transactions_below"), data.getString("merkle_root"),
                        data.getString("signature"), data.getString("key_id")));
            }
            return claims;
        });
    }

    public Uni<Optional<StoredEvent>> latestCheckpoint() {
        return pool.query(LATEST_CHECKPOINT).execute()
                .map(rows -> rows.size() == 0
                        ? Optional.<StoredEvent>empty()
                        : Optional.of(EventLog.toEvent(rows.iterator().next())));
    }
}
