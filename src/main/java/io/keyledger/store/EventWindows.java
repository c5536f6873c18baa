package io.keyledger.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the log in windows of committed transactions, for rebuilding projections while writers
 * carry on. A horizon is the oldest transaction still running: every event written by a
 * transaction below it has committed (or never will), so a window below a horizon is complete and
 * can be read in pages. Events come in (transaction, position) order, which is NOT always each
 * stream's own order: a transaction takes its id when it first locks or writes, so a writer that
 * queued for an account's row lock can hold an older id than the one that went ahead of it. A
 * reader that folds streams puts each back in {@code stream_version} order (the rebuild does, in
 * {@code RebuildBatch}). The data stays JSON text: the caller decodes it off the event loop.
 */
@ApplicationScoped
public class EventWindows {

    /** Where a reader has got to: the last event read, by writing transaction and position. */
    public record Cursor(String transactionId, long position) {
        public static final Cursor START = new Cursor("0", 0L);
    }

    /** One event as a projection rebuild needs it. */
    public record RawEvent(long position, String transactionId, String streamId, int streamVersion, String type,
            int schemaVersion, String data) {
        public Cursor cursor() {
            return new Cursor(transactionId, position);
        }
    }

    static final String HORIZON = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin";

    /**
     * The transaction id is read as text under another name: ORDER BY a plain name prefers an output column,
     * and sorting by the text would put transaction 1003 before 999.
     */
    static final String COLUMNS = "position, transaction_id::text AS tx, stream_id, stream_version, event_type,"
            + " schema_version, data::text AS data";

    static final String READ_BELOW = "SELECT " + COLUMNS + " FROM events"
            + " WHERE (transaction_id, position) > ($1::text::xid8, $2) AND transaction_id < $3::text::xid8"
            + " ORDER BY transaction_id, position LIMIT $4";

    /** Everything visible after the cursor: for a reader that has stopped every writer it cares about. */
    static final String READ_VISIBLE = "SELECT " + COLUMNS + " FROM events"
            + " WHERE (transaction_id, position) > ($1::text::xid8, $2)"
            + " ORDER BY transaction_id, position LIMIT $3";

    /** The oldest transaction running now: everything below it is committed. */
    public Uni<String> horizon(SqlClient client) {
        return client.query(HORIZON).execute().map(rows -> rows.iterator().next().getString("xmin"));
    }

    /** At most {@code limit} events after {@code after} written by transactions below {@code horizon}. */
    public Uni<List<RawEvent>> readBelow(SqlClient client, Cursor after, String horizon, int limit) {
        return client.preparedQuery(READ_BELOW)
                .execute(Tuple.of(after.transactionId(), after.position(), horizon, limit)).map(EventWindows::toEvents);
    }

    /** At most {@code limit} committed events after {@code after}, whatever their transaction. */
    public Uni<List<RawEvent>> readVisible(SqlClient client, Cursor after, int limit) {
        return client.preparedQuery(READ_VISIBLE).execute(Tuple.of(after.transactionId(), after.position(), limit))
                .map(EventWindows::toEvents);
    }

    private static List<RawEvent> toEvents(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<RawEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            events.add(new RawEvent(row.getLong("position"), row.getString("tx"), row.getString("stream_id"),
                    row.getInteger("stream_version"), row.getString("event_type"), row.getInteger("schema_version"),
                    row.getString("data")));
        }
        return events;
    }
}
