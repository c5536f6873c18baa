package io.keyledger.store;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of the append-only {@code events} table: by position, by stream, by key, the whole log by stream for
 * verification, and the relay's commit-safe read. The write path is {@link EventStore}; the ledger checkpointer's
 * queries are {@link CheckpointQueries}.
 */
@ApplicationScoped
public class EventLog {

    @Inject
    Pool pool;

    static final String COLUMNS = """
            position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
            recorded_at, transaction_id::text AS transaction_id, prev_hash, hash""";

    static final String READ_FROM_POSITION = "SELECT " + COLUMNS
            + " FROM events WHERE position > $1 ORDER BY position LIMIT $2";

    /**
     * The relay's read. Identity values are taken before commit, so a row with a smaller
     * position can become visible after a larger one. Ordering by writing transaction and
     * reading only transactions older than the oldest one still running (the snapshot's xmin)
     * means nothing that commits later can sort before the checkpoint. The ORDER BY names the
     * table's xid8 column: the output column of the same name is its text, whose order ("10000"
     * before "9999") would skip events and defeat the (transaction_id, position) index.
     */
    static final String READ_COMMITTED_AFTER = "SELECT " + COLUMNS + """
             FROM events
            WHERE (transaction_id, position) > ($1::text::xid8, $2)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY events.transaction_id, events.position
            LIMIT $3""";

    static final String READ_STREAM_PAGE = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id = $1 AND position > $2 ORDER BY position LIMIT $3";

    /** A stream in its own order, stream_version (never position or transaction): the unique (stream_id, stream_version) index. */
    static final String READ_STREAM_BY_VERSION = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version LIMIT $3";

    static final String READ_STREAMS_LIKE = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id LIKE $1 ORDER BY stream_id, position";

    static final String READ_KEY_EVENTS = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id = $1 AND (data ->> 'id' = $2 OR data ->> 'replaced_by' = $2) ORDER BY position";

    static final String STREAM_EXISTS = "SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1";

    /** Every event after {@code position} in append order, for rebuilding projections. */
    public Uni<List<StoredEvent>> readFromPosition(SqlClient client, long position, int limit) {
        return client.preparedQuery(READ_FROM_POSITION).execute(Tuple.of(position, limit)).map(EventLog::toEvents);
    }

    // code-point order of stream ids, the order of the checkpoints' Merkle leaves (index from V10)
    static final String READ_ALL_BY_STREAM = "SELECT " + COLUMNS
            + " FROM events ORDER BY stream_id COLLATE \"C\", stream_version";

    /** The whole log by stream and version, from a cursor: bounded memory. */
    public Multi<StoredEvent> streamAllByStream() {
        return pool.getConnection().onItem()
                .transformToMulti(connection -> connection.begin().onItem()
                        .transformToMulti(tx -> connection.prepare(READ_ALL_BY_STREAM).onItem()
                                .transformToMulti(statement -> statement.createStream(500, Tuple.tuple()).toMulti()))
                        .map(EventLog::toEvent).onTermination().call(() -> connection.close()));
    }

    /** One stream's events after {@code position}, oldest first, at most {@code limit}. */
    public Uni<List<StoredEvent>> readStream(String streamId, long afterPosition, int limit) {
        return pool.preparedQuery(READ_STREAM_PAGE).execute(Tuple.of(streamId, afterPosition, limit))
                .map(EventLog::toEvents);
    }

    /** One stream's events after {@code afterVersion}, in stream-version order, at most {@code limit}. */
    public Uni<List<StoredEvent>> readStreamByVersion(String streamId, int afterVersion, int limit) {
        return pool.preparedQuery(READ_STREAM_BY_VERSION).execute(Tuple.of(streamId, afterVersion, limit))
                .map(EventLog::toEvents);
    }

    /** Every event of every stream whose id starts with {@code prefix}, by stream then position. */
    public Uni<List<StoredEvent>> readStreamsStartingWith(String prefix) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return pool.preparedQuery(READ_STREAMS_LIKE).execute(Tuple.of(pattern)).map(EventLog::toEvents);
    }

    /** The events of one key in its account's stream: its creation, rotation (either side) and revocation. */
    public Uni<List<StoredEvent>> readKeyEvents(String streamId, String keyId) {
        return pool.preparedQuery(READ_KEY_EVENTS).execute(Tuple.of(streamId, keyId)).map(EventLog::toEvents);
    }

    public Uni<Boolean> streamExists(String streamId) {
        return pool.preparedQuery(STREAM_EXISTS).execute(Tuple.of(streamId)).map(rows -> rows.size() > 0);
    }

    /** Events safely after the checkpoint, in the order the relay must publish them. */
    public Uni<List<StoredEvent>> readCommittedAfter(SqlClient client, String transactionId, long position, int limit) {
        return client.preparedQuery(READ_COMMITTED_AFTER).execute(Tuple.of(transactionId, position, limit))
                .map(EventLog::toEvents);
    }

    static List<StoredEvent> toEvents(RowSet<Row> rows) {
        List<StoredEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(toEvent(row));
        }
        return events;
    }

    static StoredEvent toEvent(Row row) {
        return new StoredEvent(row.getLong("position"), row.getUUID("event_id"), row.getString("stream_id"),
                row.getInteger("stream_version"), row.getString("event_type"), row.getInteger("schema_version"),
                row.getJsonObject("data"), row.getJsonObject("metadata"),
                row.getOffsetDateTime("recorded_at").toInstant(), row.getString("transaction_id"),
                row.getString("prev_hash"), row.getString("hash"));
    }
}
