package io.keyledger.store;

import io.keyledger.events.DomainEvent;
import io.keyledger.events.EventCodec;
import io.keyledger.events.Rejection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Appends to and reads from the append-only {@code events} table. Knows nothing of what events mean. */
@ApplicationScoped
public class EventStore {

    static final String INSERT = """
            INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, data, metadata)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String COLUMNS = """
            position, event_id, stream_id, stream_version, event_type, schema_version, data, metadata,
            recorded_at, transaction_id::text AS transaction_id""";

    static final String READ_FROM_POSITION =
            "SELECT " + COLUMNS + " FROM events WHERE position > $1 ORDER BY position LIMIT $2";

    /**
     * The relay's read. Identity values are taken before commit, so a row with a smaller
     * position can become visible after a larger one. Ordering by writing transaction and
     * reading only transactions older than the oldest one still running (the snapshot's xmin)
     * means nothing that commits later can sort before the checkpoint.
     */
    static final String READ_COMMITTED_AFTER = "SELECT " + COLUMNS + """
             FROM events
            WHERE (transaction_id, position) > ($1::text::xid8, $2)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id, position
            LIMIT $3""";

    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Appends events to a stream inside the caller's transaction. {@code expectedVersion} is
     * the version the decision was made on; a concurrent writer that got there first makes the
     * unique (stream_id, stream_version) constraint fail, reported as CONCURRENT_MODIFICATION.
     */
    public Uni<Void> append(SqlConnection tx, String streamId, int expectedVersion,
                            List<? extends DomainEvent> events, EventMetadata metadata) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(events.size());
        int version = expectedVersion;
        for (DomainEvent event : events) {
            EventCodec.Encoded encoded = EventCodec.encode(event);
            rows.add(Tuple.from(List.of(UUID.randomUUID(), streamId, ++version, encoded.type(),
                    encoded.schemaVersion(), encoded.data(), metadata.toJson())));
        }
        return tx.preparedQuery(INSERT).executeBatch(rows)
                .onFailure(EventStore::isVersionConflict)
                .transform(e -> new Rejection(Rejection.Reason.CONCURRENT_MODIFICATION,
                        "stream " + streamId + " moved past version " + expectedVersion))
                .replaceWithVoid();
    }

    /** Every event after {@code position} in append order, for rebuilding projections. */
    public Uni<List<StoredEvent>> readFromPosition(SqlClient client, long position, int limit) {
        return client.preparedQuery(READ_FROM_POSITION).execute(Tuple.of(position, limit)).map(EventStore::toEvents);
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
            events.add(new StoredEvent(
                    row.getLong("position"),
                    row.getUUID("event_id"),
                    row.getString("stream_id"),
                    row.getInteger("stream_version"),
                    row.getString("event_type"),
                    row.getInteger("schema_version"),
                    row.getJsonObject("data"),
                    row.getJsonObject("metadata"),
                    row.getOffsetDateTime("recorded_at").toInstant(),
                    row.getString("transaction_id")));
        }
        return events;
    }
}
