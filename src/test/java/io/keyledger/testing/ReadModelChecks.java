package io.keyledger.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.events.EventCodec;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.store.WritePath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** The read models against the log: the fold of a stream, the locked snapshot, and an org's rows as JSON. */
public final class ReadModelChecks {

    private ReadModelChecks() {
    }

    /**
     * A service account's state from its stored events, folded in version order with {@code evolve}, less the revoked
     * keys the fold keeps for the rows: the part a decision sees, and all a locked snapshot loads.
     */
    public static ServiceAccount fold(Pool pool, String org, String name) {
        List<ServiceAccountEvent> events = new ArrayList<>();
        for (Row row : pool
                .preparedQuery("SELECT event_type, schema_version, data FROM events WHERE stream_id = $1"
                        + " ORDER BY stream_version")
                .execute(Tuple.of(ServiceAccountNames.streamId(org, name))).await().indefinitely()) {
            events.add((ServiceAccountEvent) EventCodec.decode(row.getString("event_type"),
                    row.getInteger("schema_version"), row.getJsonObject("data")));
        }
        return ServiceAccountDecider.fold(events).live();
    }

    /** The state the write path's lock query loads: the read model as the aggregate's snapshot. */
    public static ServiceAccount snapshot(Pool pool, ReadModel readModel, String org, String name) {
        WritePath.Snapshot<ServiceAccount> snapshot = pool
                .withTransaction(tx -> readModel.lockedState(org, name).load(tx)).await().indefinitely();
        assertEquals(snapshot.state().version(), snapshot.version());
        return snapshot.state();
    }

    /** The {@code line} column of each row {@code sql} answers, in its order. */
    public static List<String> lines(Pool pool, String sql) {
        return pool.query(sql).execute().await().indefinitely().stream().map(r -> r.getString("line")).toList();
    }

    /** The org's account and key rows, as JSON, in a stable order. */
    public static List<String> tables(Pool pool, String org) {
        List<String> rows = new ArrayList<>();
        pool.preparedQuery("SELECT to_jsonb(s)::text AS r FROM service_accounts s WHERE org = $1 ORDER BY name")
                .execute(Tuple.of(org)).await().indefinitely().forEach(r -> rows.add(r.getString("r")));
        // next_notice_at is the expiry scanner's bookkeeping, not a projection of events
        pool.preparedQuery(
                "SELECT (to_jsonb(k) - 'next_notice_at')::text AS r FROM api_keys k WHERE org = $1 ORDER BY id")
                .execute(Tuple.of(org)).await().indefinitely().forEach(r -> rows.add(r.getString("r")));
        return rows;
    }
}
