package io.keyledger.bench;

import io.keyledger.events.EventCodec;
import io.keyledger.ledger.LedgerChain;
import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.LedgerEntry;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The ledger figures' log (deploy/bench/ledger): appends a chained log straight into an
 * already-migrated database with COPY, hashed by the service's own code (LedgerEntry, LedgerChain),
 * so the verifiers have a real chain to check. Org {@code asof} gets {@code asofAccounts} accounts
 * of 1 creation and 5 keys; org {@code bulk} gets accounts of 1 creation and 9 keys until {@code total}.
 *
 * <pre>LedgerBacklog &lt;jdbc-url&gt; &lt;user&gt; &lt;total-events&gt; &lt;asof-accounts&gt;</pre>
 *
 * Prints the time the entries and hashes took per event: what hashing adds to each append's CPU.
 */
public final class LedgerBacklog {

    private static final int COPY_ROWS = 100_000;

    private LedgerBacklog() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(append(args[0], args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), System.out));
    }

    /** Appends the log, printing progress to {@code progress}; returns the summary line ("ledger backlog: ..."). */
    static String append(String url, String user, long total, int asofAccounts, PrintStream progress) throws Exception {
        Random random = new Random(42);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        long written = 0;
        long hashingNanos = 0;
        StringBuilder copy = new StringBuilder();
        int rows = 0;
        try (Connection db = DriverManager.getConnection(url, user, "")) {
            db.setAutoCommit(true);
            for (int account = 0; written < total; account++) {
                boolean asof = account < asofAccounts;
                String org = asof ? "asof" : "bulk";
                String name = "sa-" + account;
                String stream = "service-account:" + org + ":" + name;
                int events = (int) Math.min(asof ? 6 : 10, total - written);
                String prev = LedgerChain.GENESIS;
                for (int version = 1; version <= events; version++) {
                    Instant at = base.plus(written, ChronoUnit.MILLIS).truncatedTo(ChronoUnit.MICROS);
                    DomainEvent event = version == 1
                            ? new ServiceAccountCreated(org, name, "bench", Privilege.MEMBER, at, "bench-admin")
                            : new KeyCreated(UUID.randomUUID().toString(), org, name, "k" + version, hex(random), "p0",
                                    at, 0, "bench-admin");
                    EventCodec.Encoded encoded = EventCodec.encode(event);
                    JsonObject metadata = new EventMetadata("bench-admin",
                            Map.of("type", "user", "subject", "bench-admin"), "bench-" + written).toJson();
                    long started = System.nanoTime();
                    String hash = LedgerChain.hash(prev, LedgerEntry.of(stream, version, encoded.type(),
                            encoded.schemaVersion(), encoded.data(), metadata, at));
                    hashingNanos += System.nanoTime() - started;
                    copy.append(UUID.randomUUID()).append(',').append(stream).append(',').append(version).append(',')
                            .append(encoded.type()).append(',').append(encoded.schemaVersion()).append(',')
                            .append(csv(encoded.data().encode())).append(',').append(csv(metadata.encode())).append(',')
                            .append(at).append(',').append(prev).append(',').append(hash).append('\n');
                    prev = hash;
                    written++;
                    if (++rows == COPY_ROWS) {
                        flush(db, copy);
                        rows = 0;
                        progress.printf("%d events%n", written);
                    }
                }
            }
            if (rows > 0) {
                flush(db, copy);
            }
        }
        return String.format("ledger backlog: %d events; entry + hash %.2f µs per event (one thread)", written,
                hashingNanos / 1000.0 / written);
    }

    private static void flush(Connection db, StringBuilder copy) throws Exception {
        ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI()
                .copyIn("COPY events (event_id, stream_id, stream_version,"
                        + " event_type, schema_version, data, metadata, recorded_at, prev_hash, hash) FROM STDIN WITH (FORMAT csv)",
                        new StringReader(copy.toString()));
        copy.setLength(0);
    }

    private static String csv(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String hex(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
