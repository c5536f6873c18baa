package io.keyledger.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code ledger_verifications} table: one row per verification job, written by the replica that
 * runs it and read by any. A partial unique index keeps one {@code running} row at a time; a
 * running row whose heartbeat is older than the stale limit belongs to a replica that died, and is
 * marked failed by the next start or read.
 */
@ApplicationScoped
public class LedgerVerificationTable {

    /** One job as stored. The verdict columns are set once it succeeded. */
    public record Job(UUID id, String state, long eventsChecked, Long eventsTotal, Instant startedAt,
            Instant finishedAt, Boolean valid, Long checkpointsChecked, Long breakPosition, String breakStreamId,
            String breakReason, String error) {
    }

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    static final String COLUMNS = "id, state, events_checked, events_total, started_at, finished_at, valid, checkpoints_checked,"
            + " break_position, break_stream_id, break_reason, error";
    static final String EXPIRE_STALE = "UPDATE ledger_verifications SET state = 'failed', finished_at = now(), error = $2"
            + " WHERE state = 'running' AND heartbeat_at < now() - make_interval(secs => $1)";
    static final String INSERT_RUNNING = "INSERT INTO ledger_verifications (id, state, requested_by) VALUES ($1, 'running', $2)"
            + " ON CONFLICT DO NOTHING RETURNING " + COLUMNS;
    static final String FIND_RUNNING = "SELECT " + COLUMNS + " FROM ledger_verifications WHERE state = 'running'";
    static final String FIND = "SELECT " + COLUMNS + " FROM ledger_verifications WHERE id = $1";
    static final String FIND_LATEST = "SELECT " + COLUMNS
            + " FROM ledger_verifications ORDER BY started_at DESC, id LIMIT 1";
    static final String PROGRESS = "UPDATE ledger_verifications SET events_checked = $2, heartbeat_at = now()"
            + " WHERE id = $1 AND state = 'running'";
    static final String TOTAL = "UPDATE ledger_verifications SET events_total = $2 WHERE id = $1 AND state = 'running'";
    static final String SUCCEED = "UPDATE ledger_verifications SET state = 'succeeded', finished_at = now(), heartbeat_at = now(),"
            + " events_checked = $2, events_total = $2, valid = $3, checkpoints_checked = $4, break_position = $5,"
            + " break_stream_id = $6, break_reason = $7 WHERE id = $1 AND state = 'running'";
    static final String FAIL = "UPDATE ledger_verifications SET state = 'failed', finished_at = now(), error = $2"
            + " WHERE id = $1 AND state = 'running'";
    static final String COUNT_EVENTS = "SELECT count(*) AS total FROM events";

    /** What a job left running by a replica that stopped answering says. */
    public static final String ABANDONED = "The replica running this verification stopped before it finished; start a new one";

    private static final int START_ATTEMPTS = 5;

    @Inject
    Pool pool;

    /**
     * Records a new running job {@code id}, unless one is running already (after stale ones are failed): then
     * that one. Either way the running row; the caller runs the job when the row's id is {@code id}.
     */
    public Uni<Job> startOrFindRunning(UUID id, String requestedBy, Duration staleAfter) {
        return startOrFindRunning(id, requestedBy, staleAfter, 1);
    }

    private Uni<Job> startOrFindRunning(UUID id, String requestedBy, Duration staleAfter, int attempt) {
        return pool.withTransaction(tx -> expireStale(tx, staleAfter)
                .chain(() -> tx.preparedQuery(INSERT_RUNNING).execute(Tuple.of(id, requestedBy)))
                .chain(inserted -> inserted.size() > 0
                        ? Uni.createFrom().item(Optional.of(toRow(inserted.iterator().next())))
                        : tx.query(FIND_RUNNING).execute()
                                .map(rows -> rows.size() == 0
                                        ? Optional.<Job>empty()
                                        : Optional.of(toRow(rows.iterator().next()))))
                .map(found -> found.orElse(null))).chain(row -> {
                    // the running one finished between our insert and our read: try again
                    if (row == null && attempt < START_ATTEMPTS) {
                        return startOrFindRunning(id, requestedBy, staleAfter, attempt + 1);
                    }
                    if (row == null) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "no running ledger verification after " + attempt + " attempts"));
                    }
                    return Uni.createFrom().item(row);
                });
    }

    /** The job, after stale running ones are marked failed. */
    public Uni<Optional<Job>> find(UUID id, Duration staleAfter) {
        return expireStale(pool, staleAfter).chain(() -> pool.preparedQuery(FIND).execute(Tuple.of(id)))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** The job started last, running or done, or empty when none ever ran. */
    public Uni<Optional<Job>> latest(Duration staleAfter) {
        return expireStale(pool, staleAfter).chain(() -> pool.preparedQuery(FIND_LATEST).execute())
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    public Uni<Void> progress(UUID id, long eventsChecked) {
        return pool.preparedQuery(PROGRESS).execute(Tuple.of(id, eventsChecked)).replaceWithVoid();
    }

    public Uni<Void> total(UUID id, long eventsTotal) {
        return pool.preparedQuery(TOTAL).execute(Tuple.of(id, eventsTotal)).replaceWithVoid();
    }

    public Uni<Void> succeed(UUID id, long eventsChecked, boolean valid, long checkpointsChecked, Long breakPosition,
            String breakStreamId, String breakReason) {
        return pool.preparedQuery(SUCCEED).execute(Tuple.from(
                new Object[]{id, eventsChecked, valid, checkpointsChecked, breakPosition, breakStreamId, breakReason}))
                .replaceWithVoid();
    }

    public Uni<Void> fail(UUID id, String error) {
        return pool.preparedQuery(FAIL).execute(Tuple.of(id, error)).replaceWithVoid();
    }

    /** How many events the log holds now: the job's total, known before its walk. */
    public Uni<Long> countEvents() {
        return pool.query(COUNT_EVENTS).execute().map(rows -> rows.iterator().next().getLong("total"));
    }

    private static Uni<Void> expireStale(SqlClient client, Duration staleAfter) {
        return client.preparedQuery(EXPIRE_STALE).execute(Tuple.of(staleAfter.toMillis() / 1000.0, ABANDONED))
                .replaceWithVoid();
    }

    private static Job toRow(io.vertx.mutiny.sqlclient.Row row) {
        return new Job(row.getUUID("id"), row.getString("state"), row.getLong("events_checked"),
                row.getLong("events_total"), instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("finished_at")), row.getBoolean("valid"),
                row.getLong("checkpoints_checked"), row.getLong("break_position"), row.getString("break_stream_id"),
                row.getString("break_reason"), row.getString("error"));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
