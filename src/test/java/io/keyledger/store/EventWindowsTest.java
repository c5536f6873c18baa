package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rebuild reads the log in (transaction, position) order. Transaction ids are numbers; read as
 * text under their own column name, an ORDER BY would sort them as text, putting transaction 10000
 * before 9999 and so breaking a stream's order. Two events either side of the next power of ten
 * must come back in their numeric order.
 */
@QuarkusTest
class EventWindowsTest {

    @Inject
    Pool pool;

    @Inject
    EventStore store;

    @Inject
    EventWindows windows;

    private void appendPolicy(String org, int expectedVersion) {
        OrgKeyPolicyChanged event = new OrgKeyPolicyChanged(org, 30 + expectedVersion, OrgKeyPolicy.OnLeak.REVOKE,
                Instant.now().truncatedTo(ChronoUnit.MICROS), "t");
        pool.withTransaction(tx -> store.append(tx, "org:" + org, expectedVersion, List.of(event),
                new EventMetadata("tester", Map.of("type", "user", "subject", "tester"), "windows"))).await()
                .indefinitely();
    }

    private long currentXid() {
        return pool.query("SELECT pg_current_xact_id()::text::bigint AS x").execute().await().indefinitely().iterator()
                .next().getLong("x");
    }

    @Test
    void eventsComeInTransactionOrder_acrossAPowerOfTen() {
        String org = Fixtures.newOrg();
        long before = currentXid();
        long boundary = 10;
        while (boundary <= before + 1_000) {
            boundary *= 10;
        }
        // the first event well below the boundary (background writers take a few ids meanwhile), the second above it
        burnTo(boundary - 500);
        appendPolicy(org, 0);
        burnTo(boundary + 1);
        appendPolicy(org, 1);

        var rows = pool.preparedQuery(
                "SELECT transaction_id::text AS tx, position FROM events WHERE stream_id = $1 ORDER BY stream_version")
                .execute(Tuple.of("org:" + org)).await().indefinitely();
        var first = rows.iterator().next();
        long firstXid = Long.parseLong(first.getString("tx"));
        assertTrue(String.valueOf(firstXid).length() < String.valueOf(boundary).length(),
                "first below the boundary: " + firstXid);
        String horizon = windows.horizon(pool).await().indefinitely();
        List<EventWindows.RawEvent> read = windows.readBelow(pool,
                new EventWindows.Cursor(first.getString("tx"), first.getLong("position") - 1), horizon, 10_000).await()
                .indefinitely().stream().filter(e -> e.streamId().equals("org:" + org)).toList();
        assertEquals(List.of(1, 2), read.stream().map(EventWindows.RawEvent::streamVersion).toList(), read.toString());
        assertTrue(Long.parseLong(read.get(1).transactionId()) >= boundary, read.toString());
    }

    /** Uses up transaction ids (one per subtransaction that writes) until the next one handed out is at least {@code target}. */
    private void burnTo(long target) {
        long missing = target - currentXid();
        while (missing > 0) {
            long chunk = Math.min(missing, 20_000);
            pool.withConnection(connection -> connection.query("CREATE TEMP TABLE IF NOT EXISTS burn_xids (x int)")
                    .execute()
                    .chain(() -> connection
                            .query("DO $$ BEGIN FOR i IN 1.." + chunk + " LOOP BEGIN INSERT INTO burn_xids VALUES (i);"
                                    + " EXCEPTION WHEN OTHERS THEN NULL; END; END LOOP; END $$")
                            .execute())
                    .chain(() -> connection.query("DROP TABLE burn_xids").execute())).await().indefinitely();
            missing = target - currentXid();
        }
    }
}
