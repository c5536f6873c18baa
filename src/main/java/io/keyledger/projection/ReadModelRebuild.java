package io.keyledger.projection;

import io.keyledger.events.EventCodec;
import io.keyledger.store.AdvisoryLock;
import io.keyledger.store.EventWindows;
import io.keyledger.store.LockId;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Rebuilds the read models from the log while the service carries on. It builds into new tables
 * ({@code <table>_rebuild}, the same columns), in bounded batches, each its own short transaction
 * (so GETs keep reading the old tables and the relay, which reads only below the oldest running
 * transaction, is never held back for long); it then catches up with the events appended
 * meanwhile, and switches in one short transaction: lock the live tables, apply the last few
 * events, drop the old tables and rename the new ones (with their constraints and indexes) into
 * place. Readers see the old tables or the rebuilt ones, never a half-built one. Usage
 * ({@code key_usage}) is not a projection of events and is left alone.
 *
 * <p>One rebuild at a time across replicas: a PostgreSQL advisory lock, held by the rebuild's own
 * connection, which runs every step.
 */
@ApplicationScoped
public class ReadModelRebuild {

    private static final Logger LOG = Logger.getLogger(ReadModelRebuild.class);

    static final String SUFFIX = "_rebuild";
    /** The read models, parents before children (api_keys references service_accounts). */
    static final List<String> TABLES = List.of("org_key_policies", "service_accounts", "api_keys");
    /** Children before parents, for dropping. */
    static final String DROP_ORDER = "api_keys, service_accounts, org_key_policies";

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final int SWITCH_ATTEMPTS = 5;
    private static final int MAX_CATCH_UP_ROUNDS = 50;

    static final String CONSTRAINTS = """
            SELECT t.relname AS tbl, c.conname AS name, c.contype::text AS type, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
             WHERE c.conrelid = ANY($1::text[]::regclass[]) AND c.contype IN ('p', 'u', 'f', 'c', 'x')
             ORDER BY c.contype = 'f', t.relname, c.conname""";
    static final String PLAIN_INDEXES = """
            SELECT t.relname AS tbl, i.relname AS name, x.indisunique AS uniq, pg_get_indexdef(x.indexrelid) AS def
              FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             WHERE x.indrelid = ANY($1::text[]::regclass[])
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))
             ORDER BY t.relname, i.relname""";

    /**
     * How a rebuild runs.
     *
     * @param batchSize   events per batch: each batch is one transaction
     * @param switchBelow catch-up rounds stop once a round finds fewer events than this; the rest is applied under
     *                    the switch lock
     * @param afterBatch  what to wait for after each batch of the first pass, between transactions (nothing, in the
     *                    service)
     */
    record Pacing(int batchSize, int switchBelow, IntFunction<Uni<Void>> afterBatch) {
        static final Pacing SERVICE = new Pacing(20_000, 1000, batch -> Uni.createFrom().voidItem());
    }

    @Inject
    Pool pool;

    @Inject
    EventWindows log;

    @Inject
    ExpiryThresholds thresholds;

    /** What a rebuild did: events applied in each phase, batches, and how long it took. */
    public record Report(long events, long firstPassEvents, long catchUpEvents, long switchEvents, int batches,
            Duration took) {
        public double eventsPerSecond() {
            double seconds = took.toNanos() / 1e9;
            return seconds <= 0 ? events : events / seconds;
        }
    }

    /** Another rebuild holds the lock (on this replica or another). */
    public static final class AlreadyRunning extends RuntimeException {
        AlreadyRunning() {
            super("a projection rebuild is already running", null, false, false);
        }
    }

    public Uni<Report> run() {
        return run(Pacing.SERVICE);
    }

    Uni<Report> run(Pacing pacing) {
        return AdvisoryLock.whileHeld(pool, LockId.READ_MODEL_REBUILD, AlreadyRunning::new, connection -> pool
                .getConnection()
                .chain(reader -> new Run(connection, reader, pacing).execute().onTermination().call(reader::close))
                .onFailure().call(() -> connection.query(dropShadows()).execute().onFailure().recoverWithNull()));
    }

    private static String dropShadows() {
        return "DROP TABLE IF EXISTS " + DROP_ORDER.replace(",", SUFFIX + ",") + SUFFIX;
    }

    /** A constraint or index of the new tables, and the live name it takes at the switch. */
    private record Rename(String table, String shadowName, String liveName, boolean constraint) {
    }

    /** A batch read and decoded ahead: {@code batch} is null when there was nothing left. */
    private record Decoded(RebuildBatch batch, EventWindows.Cursor last, int size) {
    }

    /** One rebuild's progress: its writes on one connection, reads ahead on another. */
    private final class Run {
        private final SqlConnection connection;
        private final SqlConnection reader;
        private final long started = System.nanoTime();
        private final List<Rename> renames = new ArrayList<>();
        private volatile EventWindows.Cursor cursor = EventWindows.Cursor.START;
        /** Events read before their predecessor in their stream, carried into the next batch (few, and small). */
        private volatile List<RebuildBatch.Versioned> waiting = List.of();
        /** Account streams without an account row, and the version each is at (see RebuildBatch). */
        private final java.util.Map<String, Integer> accountlessStreams = new java.util.concurrent.ConcurrentHashMap<>();

        private int batches;

        private final Pacing pacing;

        Run(SqlConnection connection, SqlConnection reader, Pacing pacing) {
            this.connection = connection;
            this.reader = reader;
            this.pacing = pacing;
        }

        Uni<Report> execute() {
            long[] counts = new long[3];
            return prepare().chain(() -> log.horizon(connection)).chain(horizon -> applyBelow(horizon, true))
                    .invoke(n -> counts[0] = n).chain(this::completeSchema).chain(() -> catchUp(0, 0L))
                    .invoke(n -> counts[1] = n).chain(() -> switchOver(1)).invoke(n -> counts[2] = n).map(ignored -> {
                        Report report = new Report(counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2],
                                batches, Duration.ofNanos(System.nanoTime() - started));
                        LOG.infof(
                                "rebuilt the read models from %d events (%d while they were appended, %d at the switch) in %d batches,"
                                        + " %.1f s, %.0f events/s",
                                report.events(), report.catchUpEvents(), report.switchEvents(), batches,
                                report.took().toMillis() / 1000.0, report.eventsPerSecond());
                        return report;
                    });
        }

        /** Empty new tables with the live tables' columns and defaults, and their primary keys (the upserts need them). */
        private Uni<Void> prepare() {
            return connection.query(dropShadows()).execute()
                    .chain(() -> eachTable(t -> "CREATE TABLE " + t + SUFFIX + " (LIKE " + t + " INCLUDING DEFAULTS)"))
                    .chain(() -> connection.preparedQuery(CONSTRAINTS).execute(Tuple.of(TABLES.toArray(new String[0]))))
                    .chain(rows -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Row row : rows) {
                            if ("p".equals(row.getString("type"))) {
                                chain = chain.chain(() -> addConstraint(row));
                            }
                        }
                        return chain;
                    });
        }

        /** After the first pass (building indexes on full tables is cheaper than keeping them up row by row). */
        private Uni<Void> completeSchema() {
            String[] tables = TABLES.toArray(new String[0]);
            return connection.preparedQuery(CONSTRAINTS).execute(Tuple.of((Object) tables)).chain(rows -> {
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (Row row : rows) {
                    if (!"p".equals(row.getString("type"))) {
                        chain = chain.chain(() -> addConstraint(row));
                    }
                }
                return chain;
            }).chain(() -> connection.preparedQuery(PLAIN_INDEXES).execute(Tuple.of((Object) tables))).chain(rows -> {
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (Row row : rows) {
                    String table = row.getString("tbl");
                    String shadow = shadowName(row.getString("name"));
                    String def = row.getString("def");
                    String sql = "CREATE " + (row.getBoolean("uniq") ? "UNIQUE " : "") + "INDEX " + shadow + " ON "
                            + table + SUFFIX + def.substring(def.indexOf(" USING "));
                    renames.add(new Rename(table, shadow, row.getString("name"), false));
                    chain = chain.chain(() -> connection.query(sql).execute().replaceWithVoid());
                }
                return chain;
            }).chain(() -> eachTable(t -> "ANALYZE " + t + SUFFIX));
        }

        private Uni<Void> addConstraint(Row row) {
            String table = row.getString("tbl");
            String shadow = shadowName(row.getString("name"));
            String def = row.getString("def");
            for (String parent : TABLES) {
                def = def.replaceFirst("REFERENCES (\\w+\\.)?" + parent + "\\(", "REFERENCES " + parent + SUFFIX + "(");
            }
            renames.add(new Rename(table, shadow, row.getString("name"), true));
            return connection.query("ALTER TABLE " + table + SUFFIX + " ADD CONSTRAINT " + shadow + " " + def).execute()
                    .replaceWithVoid();
        }

        private String shadowName(String live) {
            String name = "rb" + renames.size() + "_" + live;
            return name.length() > 63 ? name.substring(0, 63) : name;
        }

        private Uni<Void> eachTable(java.util.function.Function<String, String> sql) {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String table : TABLES) {
                chain = chain.chain(() -> connection.query(sql.apply(table)).execute().replaceWithVoid());
            }
            return chain;
        }

        /**
         * Applies every event below the horizon after the cursor, a batch per transaction; returns how many. A loop,
         * not a recursion, so a finished batch is not held on to while the next ones run. The next batch is read and
         * decoded on a second connection while this one is written, so the database and the decoding overlap.
         */
        private Uni<Long> applyBelow(String horizon, boolean firstPass) {
            AtomicReference<Uni<Decoded>> next = new AtomicReference<>(prefetch(cursor, horizon));
            return Multi.createBy().repeating().uni(() -> next.get().chain(decoded -> {
                if (decoded.size() == 0) {
                    return Uni.createFrom().item(0);
                }
                next.set(prefetch(decoded.last(), horizon));
                int batchNumber = ++batches;
                return connection.begin()
                        // a crash loses only the new tables, which the next rebuild starts again: no need to
                        // wait for the flush
                        .chain(tx -> connection.query("SET LOCAL synchronous_commit = off").execute()
                                .chain(() -> decoded.batch().applyTo(connection, waiting, accountlessStreams))
                                .invoke(left -> {
                                    waiting = left;
                                    cursor = decoded.last();
                                }).call(tx::commit).onFailure().call(tx::rollback))
                        .chain(() -> firstPass ? pacing.afterBatch().apply(batchNumber) : Uni.createFrom().voidItem())
                        .replaceWith(decoded.size());
            })).until(n -> n == 0).collect().with(Collectors.summingLong(n -> n));
        }

        /** Starts reading and decoding the batch after {@code after} at once; the loop takes it when it gets there. */
        private Uni<Decoded> prefetch(EventWindows.Cursor after, String horizon) {
            Uni<Decoded> read = log.readBelow(reader, after, horizon, pacing.batchSize())
                    .emitOn(Infrastructure.getDefaultWorkerPool())
                    .map(raw -> raw.isEmpty()
                            ? new Decoded(null, after, 0)
                            : new Decoded(decode(raw), raw.get(raw.size() - 1).cursor(), raw.size()))
                    .memoize().indefinitely();
            read.subscribe().with(ignored -> {
            }, failure -> {
            }); // its failure reaches the loop when it takes the batch
            return read;
        }

        /** Rounds below a fresh horizon until a round is small; then the switch applies what is left. */
        private Uni<Long> catchUp(int round, long applied) {
            return log.horizon(connection).chain(horizon -> applyBelow(horizon, false))
                    .chain(n -> n < pacing.switchBelow() || round + 1 >= MAX_CATCH_UP_ROUNDS
                            ? Uni.createFrom().item(applied + n)
                            : catchUp(round + 1, applied + n));
        }

        /**
         * Locks the live tables (writers and readers wait, briefly), applies every event committed
         * since the last round, and puts the new tables in place of the old ones. If the lock is not
         * had within a second (a long reader such as a credential report), catches up again and
         * retries, so nobody waits long behind the switch.
         */
        private Uni<Long> switchOver(int attempt) {
            return connection.begin().chain(tx -> connection.query("SET LOCAL lock_timeout = '1s'").execute()
                    .chain(() -> connection
                            .query("LOCK TABLE " + String.join(", ", TABLES) + " IN ACCESS EXCLUSIVE MODE").execute())
                    .chain(this::applyVisible)
                    // every event is read now: one still waiting for its predecessor is a gap in the log
                    .invoke(() -> RebuildBatch.requireNoneWaiting(waiting))
                    .call(() -> connection.query("DROP TABLE " + DROP_ORDER).execute()).call(this::renameIntoPlace)
                    .call(tx::commit).onFailure().call(tx::rollback)).onFailure(ReadModelRebuild::isLockTimeout)
                    .recoverWithUni(failure -> {
                        if (attempt >= SWITCH_ATTEMPTS) {
                            return Uni.createFrom().failure(failure);
                        }
                        LOG.infof("the read models are busy; catching up and trying the switch again (%d)", attempt);
                        return catchUp(0, 0L).chain(n -> switchOver(attempt + 1).map(m -> n + m));
                    });
        }

        private Uni<Long> applyVisible() {
            return Multi.createBy().repeating().uni(() -> log.readVisible(connection, cursor, pacing.batchSize()).chain(
                    batch -> batch.isEmpty() ? Uni.createFrom().item(0) : apply(batch).replaceWith(batch.size())))
                    .until(n -> n == 0).collect().with(Collectors.summingLong(n -> n));
        }

        private Uni<Void> renameIntoPlace() {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String table : TABLES) {
                chain = chain.chain(() -> connection.query("ALTER TABLE " + table + SUFFIX + " RENAME TO " + table)
                        .execute().replaceWithVoid());
            }
            for (Rename rename : renames) {
                String sql = rename.constraint()
                        ? "ALTER TABLE " + rename.table() + " RENAME CONSTRAINT " + rename.shadowName() + " TO "
                                + rename.liveName()
                        : "ALTER INDEX " + rename.shadowName() + " RENAME TO " + rename.liveName();
                chain = chain.chain(() -> connection.query(sql).execute().replaceWithVoid());
            }
            return chain;
        }

        /** Decodes a batch off the event loop, then applies it set-wise; moves the cursor. */
        private Uni<Void> apply(List<EventWindows.RawEvent> batch) {
            return Uni.createFrom().item(batch).emitOn(Infrastructure.getDefaultWorkerPool()).map(this::decode)
                    .chain(rebuildBatch -> rebuildBatch.applyTo(connection, waiting, accountlessStreams))
                    .invoke(left -> {
                        waiting = left;
                        cursor = batch.get(batch.size() - 1).cursor();
                    }).replaceWithVoid();
        }

        /** Decodes stored events, upcasting old versions. CPU work: never on the event loop. */
        private RebuildBatch decode(List<EventWindows.RawEvent> raw) {
            List<RebuildBatch.Versioned> decoded = new ArrayList<>(raw.size());
            for (EventWindows.RawEvent event : raw) {
                decoded.add(new RebuildBatch.Versioned(event.streamId(),
                        EventCodec.decode(event.type(), event.schemaVersion(), new JsonObject(event.data())),
                        event.streamVersion()));
            }
            return new RebuildBatch(decoded, thresholds.list());
        }
    }

    private static boolean isLockTimeout(Throwable failure) {
        return failure instanceof PgException pg && LOCK_NOT_AVAILABLE.equals(pg.getSqlState());
    }
}
