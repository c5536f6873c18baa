package io.keyledger.store;

import io.keyledger.events.EventCodec;
import io.keyledger.ledger.LedgerChain;
import io.keyledger.serviceaccount.DomainEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The append-only {@code events} table's one write path: load, decide, append and project, in one transaction, with
 * the encoding, the hash chain and the metadata. Reads are {@link EventLog}'s.
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
    static final String LOCK_STREAM = "SELECT pg_advisory_xact_lock(" + (int) LockId.STREAM_WRITERS.id()
            + ", hashtext($1))";

    static final String PREVIOUS_HASH = "SELECT hash FROM events WHERE stream_id = $1 AND stream_version = $2";
    static final String STREAM_HEAD = "SELECT stream_version, hash FROM events WHERE stream_id = $1"
            + " ORDER BY stream_version DESC LIMIT 1";

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
        return Uni.createFrom()
                .deferred(() -> pool.withTransaction(tx -> Uni
                        .combine().all().unis(tx.preparedQuery(LOCK_STREAM).execute(Tuple.of(streamId)),
                                loader.load(tx), tx.preparedQuery(STREAM_HEAD).execute(Tuple.of(streamId)))
                        .asTuple().chain(loaded -> {
                            WritePath.Snapshot<S> snapshot = loaded.getItem2();
                            RowSet<Row> head = loaded.getItem3();
                            WritePath.Decision<T> decision = decide.apply(snapshot.state());
                            String previousHash = previousHash(head, snapshot.version());
                            return append(tx, streamId, snapshot.version(), previousHash, decision.events(), metadata)
                                    .chain(() -> decision.events().isEmpty()
                                            ? Uni.createFrom().voidItem()
                                            : projection.apply(tx, snapshot.state(), decision.events(),
                                                    snapshot.version()))
                                    .chain(() -> decision.claim() == null
                                            ? Uni.createFrom().voidItem()
                                            : append(tx, decision.claim().streamId(), 0, LedgerChain.GENESIS,
                                                    decision.claim().events(), metadata))
                                    .replaceWith(decision.result());
                        })))
                // a claimed stream that already has its event will have it on every attempt: no retry for that
                .onFailure(
                        failure -> failure instanceof VersionConflict conflict && conflict.streamId().equals(streamId))
                .retry().withBackOff(Duration.ofMillis(5), Duration.ofMillis(100)).atMost(ATTEMPTS - 1);
    }

    /**
     * Appends events to a stream inside the caller's transaction. {@code expectedVersion} is
     * the version the decision was made on; a concurrent writer that got there first makes the
     * unique (stream_id, stream_version) constraint fail, reported as a {@link VersionConflict}.
     */
    public Uni<Void> append(SqlConnection tx, String streamId, int expectedVersion, List<? extends DomainEvent> events,
            EventMetadata metadata) {
        return append(tx, streamId, expectedVersion, null, events, metadata);
    }

    /** The previous event's hash from the stream head read with the state, or null when they disagree. */
    private static String previousHash(RowSet<Row> head, int expectedVersion) {
        if (head.size() == 0) {
            return expectedVersion == 0 ? LedgerChain.GENESIS : null;
        }
        Row row = head.iterator().next();
        return row.getInteger("stream_version") == expectedVersion && row.getString("hash") != null
                ? row.getString("hash")
                : null;
    }

    private Uni<Void> append(SqlConnection tx, String streamId, int expectedVersion, String knownPreviousHash,
            List<? extends DomainEvent> events, EventMetadata metadata) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Uni<String> previous = knownPreviousHash != null
                ? Uni.createFrom().item(knownPreviousHash)
                : expectedVersion == 0
                        ? Uni.createFrom().item(LedgerChain.GENESIS)
                        : tx.preparedQuery(PREVIOUS_HASH).execute(Tuple.of(streamId, expectedVersion)).map(rows -> {
                            // no previous row is a version conflict the insert will report; a row from before
                            // the chain starts it
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
                        encoded.schemaVersion(), encoded.data(), meta, recordedAt.atOffset(ZoneOffset.UTC), prev,
                        hash)));
                prev = hash;
            }
            return tx.preparedQuery(INSERT).executeBatch(rows);
        }).onFailure(EventStore::isVersionConflict).transform(e -> new VersionConflict(streamId, expectedVersion))
                .replaceWithVoid();
    }

    static final String STREAM_VERSION = "SELECT coalesce(max(stream_version), 0) AS version FROM events WHERE stream_id = $1";

    /** A stream's version as a write path loader for streams without a read-model row of their own. */
    public WritePath.StateLoader<Integer> streamVersion(String streamId) {
        return tx -> tx.preparedQuery(STREAM_VERSION).execute(Tuple.of(streamId)).map(rows -> {
            int version = rows.iterator().next().getInteger("version");
            return new WritePath.Snapshot<>(version, version);
        });
    }

    private static boolean isVersionConflict(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
                && pg.getConstraint() != null && pg.getConstraint().equals("events_stream_version_unique");
    }
}
