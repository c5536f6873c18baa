package io.keyledger.store;

import io.keyledger.events.EventCodec;
import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerChain;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.ledger.StreamHead;
import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.function.Function;
import java.util.List;
import java.util.UUID;

/**
 * The append-only {@code events} table: the one write path (load, decide, append, project, in one
 * transaction, with the encoding and metadata), and reads by position.
 */
@ApplicationScoped
public class EventStore {

    private static final int ATTEMPTS = 5;

    @Inject
    Pool pool;

    @Inject
    WritePath.InlineProjection projection;

    static final String INSERT = """
            INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
                                recorded_at, prev_hash, hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    /**
     * Serialises a stream's writers before anything in the transaction takes a transaction id. A
     * transaction gets its id at its first row lock or write, so writers that queued on the account's
     * row lock held ids in arrival order and could commit in another: the log's transaction order then
     * inverted the stream's order, which the relay publishes by. An advisory lock takes no id, so the
     * writer that gets it next takes a younger id than the one that released it. The two-key form keeps
     * these locks apart from the leader jobs' single-key ones; a hash collision only makes two streams queue.
     */
    static final String LOCK_STREAM =
            "SELECT pg_advisory_xact_lock(" + (int) LockId.STREAM_WRITERS.id() + ", hashtext($1))";

    static final String PREVIOUS_HASH = "SELECT hash FROM events WHERE stream_id = $1 AND stream_version = $2";
    static final String STREAM_HEAD = "SELECT stream_version, hash FROM events WHERE stream_id = $1"
            + " ORDER BY stream_version DESC LIMIT 1";

    static final String COLUMNS = """
            position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
            recorded_at, transaction_id::text AS transaction_id, prev_hash, hash""";

    static final String READ_FROM_POSITION =
            "SELECT " + COLUMNS + " FROM events WHERE position > $1 ORDER BY position LIMIT $2";

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

    static final String READ_STREAM_PAGE =
            "SELECT " + COLUMNS + " FROM events WHERE stream_id = $1 AND position > $2 ORDER BY position LIMIT $3";

    /** A stream in its own order, stream_version (never position or transaction): the unique (stream_id, stream_version) index. */
    static final String READ_STREAM_BY_VERSION = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version LIMIT $3";

    static final String READ_STREAMS_LIKE =
            "SELECT " + COLUMNS + " FROM events WHERE stream_id LIKE $1 ORDER BY stream_id, position";

    static final String READ_KEY_EVENTS = "SELECT " + COLUMNS
            + " FROM events WHERE stream_id = $1 AND (data ->> 'id' = $2 OR data ->> 'replaced_by' = $2) ORDER BY position";

    static final String STREAM_EXISTS = "SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1";

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * The write path of every command: in one transaction, load the stream's state (the loader
     * locks it, so writers to one stream queue), decide, append the events after the loaded
     * version, and project them. Another writer that got there first makes the unique (stream,
     * version) constraint fail: the whole attempt is retried a few times, then a
     * {@link VersionConflict}. A decision's own failure (a rejection) ends it at once.
     */
    public <S, T> Uni<T> decideAndAppend(String streamId, WritePath.StateLoader<S> loader,
                                         Function<S, WritePath.Decision<T>> decide, EventMetadata metadata) {
        // the stream's head is asked for with the state, pipelined on the transaction's connection: the
        // previous hash costs no round trip of its own (append reads it again only if the two disagree)
        // the stream lock is sent first on the same connection, so the loader's row lock runs only once it is held
        return Uni.createFrom().deferred(() -> pool.withTransaction(tx -> Uni.combine().all()
                .unis(tx.preparedQuery(LOCK_STREAM).execute(Tuple.of(streamId)), loader.load(tx),
                        tx.preparedQuery(STREAM_HEAD).execute(Tuple.of(streamId))).asTuple()
                .chain(loaded -> {
                    WritePath.Snapshot<S> snapshot = loaded.getItem2();
                    RowSet<Row> head = loaded.getItem3();
                    WritePath.Decision<T> decision = decide.apply(snapshot.state());
                    String previousHash = previousHash(head, snapshot.version());
                    return append(tx, streamId, snapshot.version(), previousHash, decision.events(), metadata)
                            .chain(() -> decision.events().isEmpty() ? Uni.createFrom().voidItem()
                                    : projection.apply(tx, snapshot.state(), decision.events(), snapshot.version()))
                            .chain(() -> decision.claim() == null ? Uni.createFrom().voidItem()
                                    : append(tx, decision.claim().streamId(), 0, LedgerChain.GENESIS, decision.claim().events(), metadata))
                            .replaceWith(decision.result());
                })))
                // a claimed stream that already has its event will have it on every attempt: no retry for that
                .onFailure(failure -> failure instanceof VersionConflict conflict && conflict.streamId().equals(streamId))
                .retry().withBackOff(Duration.ofMillis(5), Duration.ofMillis(100)).atMost(ATTEMPTS - 1);
    }

    /**
     * Appends events to a stream inside the caller's transaction. {@code expectedVersion} is
     * the version the decision was made on; a concurrent writer that got there first makes the
     * unique (stream_id, stream_version) constraint fail, reported as a {@link VersionConflict}.
     */
    public Uni<Void> append(SqlConnection tx, String streamId, int expectedVersion,
                            List<? extends DomainEvent> events, EventMetadata metadata) {
        return append(tx, streamId, expectedVersion, null, events, metadata);
    }

    /** The previous event's hash from the stream head read with the state, or null when they disagree. */
    private static String previousHash(RowSet<Row> head, int expectedVersion) {
        if (head.size() == 0) {
            return expectedVersion == 0 ? LedgerChain.GENESIS : null;
        }
        Row row = head.iterator().next();
        return row.getInteger("stream_version") == expectedVersion && row.getString("hash") != null ? row.getString("hash") : null;
    }

    private Uni<Void> append(SqlConnection tx, String streamId, int expectedVersion, String knownPreviousHash,
                             List<? extends DomainEvent> events, EventMetadata metadata) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<String> previous = knownPreviousHash != null ? Uni.createFrom().item(knownPreviousHash)
                : expectedVersion == 0 ? Uni.createFrom().item(LedgerChain.GENESIS)
                : tx.preparedQuery(PREVIOUS_HASH).execute(Tuple.of(streamId, expectedVersion)).map(rows -> {
                    // no previous row is a version conflict the insert will report; a row from before the chain starts it
                    String hash = rows.size() == 0 ? null : rows.iterator().next().getString("hash");
                    return hash == null ? LedgerChain.GENESIS : hash;
                });
        return previous.chain(prevHash -> {
            List<Tuple> rows = new ArrayList<>(events.size());
            int version = expectedVersion;
            String prev = prevHash;
            JsonObject meta = metadata.toJson();
            for (DomainEvent event : events) {
                EventCodec.Encoded encoded = EventCodec.encode(event);
                int streamVersion = ++version;
                // the wall clock, at the precision PostgreSQL keeps: the hash covers it
                Instant recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
                String hash = LedgerChain.hash(prev, LedgerEntry.of(streamId, streamVersion, encoded.type(),
                        encoded.schemaVersion(), encoded.data(), meta, recordedAt));
                rows.add(Tuple.from(java.util.Arrays.asList(UUID.randomUUID(), streamId, streamVersion, encoded.type(),
                        encoded.schemaVersion(), encoded.data(), meta, recordedAt.atOffset(ZoneOffset.UTC), prev, hash)));
                prev = hash;
            }
            return tx.preparedQuery(INSERT).executeBatch(rows);
        })
                .onFailure(EventStore::isVersionConflict)
                .transform(e -> new VersionConflict(streamId, expectedVersion))
                .replaceWithVoid();
    }

    /** Every event after {@code position} in append order, for rebuilding projections. */
    public Uni<List<StoredEvent>> readFromPosition(SqlClient client, long position, int limit) {
        return client.preparedQuery(READ_FROM_POSITION).execute(Tuple.of(position, limit)).map(EventStore::toEvents);
    }

    // code-point order of stream ids, the order of the checkpoints' Merkle leaves (index from V10)
    static final String READ_ALL_BY_STREAM = "SELECT " + COLUMNS + " FROM events ORDER BY stream_id COLLATE \"C\", stream_version";
    static final String CHECKPOINT_CLAIMS = "SELECT position, data FROM events WHERE stream_id = 'ledger'"
            + " AND event_type = 'LedgerCheckpoint' AND schema_version >= 2 ORDER BY stream_version";

    /** The whole log by stream and version, from a cursor: bounded memory. */
    public io.smallrye.mutiny.Multi<StoredEvent> streamAllByStream() {
        return pool.getConnection().onItem().transformToMulti(connection -> connection.begin()
                .onItem().transformToMulti(tx -> connection.prepare(READ_ALL_BY_STREAM).onItem().transformToMulti(statement ->
                        statement.createStream(500, Tuple.tuple()).toMulti()))
                .map(EventStore::toEvent)
                .onTermination().call(() -> connection.close()));
    }

    static final String SNAPSHOT_XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin";
    static final String LAST_POSITION_BELOW = "SELECT coalesce(max(position), 0) AS position FROM events"
            + " WHERE stream_id <> 'ledger' AND transaction_id < $1::text::xid8";
    static final String HEADS_BELOW = "SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events"
            + " WHERE stream_id <> 'ledger' AND hash IS NOT NULL AND transaction_id < $1::text::xid8"
            + " ORDER BY stream_id, stream_version DESC";
    static final String LATEST_CHECKPOINT = "SELECT " + COLUMNS + " FROM events WHERE stream_id = 'ledger'"
            + " ORDER BY stream_version DESC LIMIT 1";
    static final String STREAM_VERSION = "SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1";

    /** The oldest transaction still running: every event below it has committed. */
    public Uni<String> snapshotXmin() {
        return pool.query(SNAPSHOT_XMIN).execute().map(rows -> rows.iterator().next().getString("xmin"));
    }

    /** The last position written by a transaction below {@code xmin}, outside the ledger stream. */
    public Uni<Long> lastPositionBelow(String xmin) {
        return pool.preparedQuery(LAST_POSITION_BELOW).execute(Tuple.of(xmin)).map(rows -> rows.iterator().next().getLong("position"));
    }

    /** Each stream's latest hashed event written by a transaction below {@code xmin}, in stream-id order (code units). */
    public Uni<List<StreamHead>> headsBelow(String xmin) {
        return pool.preparedQuery(HEADS_BELOW).execute(Tuple.of(xmin)).map(rows -> {
            List<StreamHead> heads = new ArrayList<>(rows.size());
            for (Row row : rows) {
                heads.add(new StreamHead(row.getString("stream_id"), row.getInteger("stream_version"), row.getString("hash")));
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
                        data.getString("covers_transactions_below"), data.getString("merkle_root"), data.getString("signature"),
                        data.getString("key_id")));
            }
            return claims;
        });
    }

    public Uni<java.util.Optional<StoredEvent>> latestCheckpoint() {
        return pool.query(LATEST_CHECKPOINT).execute().map(rows -> rows.size() == 0 ? java.util.Optional.<StoredEvent>empty()
                : java.util.Optional.of(toEvent(rows.iterator().next())));
    }

    /** A stream's version as a write path loader for streams without a read-model row of their own. */
    public WritePath.StateLoader<Integer> streamVersion(String streamId) {
        return tx -> tx.preparedQuery(STREAM_VERSION).execute(Tuple.of(streamId)).map(rows -> {
            int version = rows.iterator().next().getInteger("version");
            return new WritePath.Snapshot<>(version, version);
        });
    }

    /** One stream's events after {@code position}, oldest first, at most {@code limit}. */
    public Uni<List<StoredEvent>> readStream(String streamId, long afterPosition, int limit) {
        return pool.preparedQuery(READ_STREAM_PAGE).execute(Tuple.of(streamId, afterPosition, limit)).map(EventStore::toEvents);
    }

    /** One stream's events after {@code afterVersion}, in stream-version order, at most {@code limit}. */
    public Uni<List<StoredEvent>> readStreamByVersion(String streamId, int afterVersion, int limit) {
        return pool.preparedQuery(READ_STREAM_BY_VERSION).execute(Tuple.of(streamId, afterVersion, limit))
                .map(EventStore::toEvents);
    }

    /** Every event of every stream whose id starts with {@code prefix}, by stream then position. */
    public Uni<List<StoredEvent>> readStreamsStartingWith(String prefix) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return pool.preparedQuery(READ_STREAMS_LIKE).execute(Tuple.of(pattern)).map(EventStore::toEvents);
    }

    /** The events of one key in its account's stream: its creation, rotation (either side) and revocation. */
    public Uni<List<StoredEvent>> readKeyEvents(String streamId, String keyId) {
        return pool.preparedQuery(READ_KEY_EVENTS).execute(Tuple.of(streamId, keyId)).map(EventStore::toEvents);
    }

    public Uni<Boolean> streamExists(String streamId) {
        return pool.preparedQuery(STREAM_EXISTS).execute(Tuple.of(streamId)).map(rows -> rows.size() > 0);
    }

    /** Events safely after the checkpoint, in the order the relay must publish them. */
    public Uni<List<StoredEvent>> readCommittedAfter(SqlClient client, String transactionId, long position, int limit) {
        return client.preparedQuery(READ_COMMITTED_AFTER)
                .execute(Tuple.of(transactionId, position, limit))
                .map(EventStore::toEvents);
    }

    private static boolean isVersionConflict(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                && pg.getConstraint() != null && pg.getConstraint().equals("events_stream_version_unique");
    }

    private static List<StoredEvent> toEvents(RowSet<Row> rows) {
        List<StoredEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(toEvent(row));
        }
        return events;
    }

    private static StoredEvent toEvent(Row row) {
        return new StoredEvent(
                row.getLong("position"),
                row.getUUID("event_id"),
                row.getString("stream_id"),
                row.getInteger("stream_version"),
                row.getString("event_type"),
                row.getInteger("schema_version"),
                row.getJsonObject("data"),
                row.getJsonObject("metadata"),
                row.getOffsetDateTime("recorded_at").toInstant(),
                row.getString("transaction_id"),
                row.getString("prev_hash"),
                row.getString("hash"));
    }
}
