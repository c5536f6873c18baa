package io.keyledger.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One replica at a time: a PostgreSQL session advisory lock held on a connection of its own, for the jobs that must
 * run once across replicas (the relay, expiry scans, ledger checkpoints, a projection rebuild). If the replica dies
 * its session ends and the lock is free for a standby. This is the only class that takes a session advisory lock;
 * the ids are {@link LockId}.
 *
 * <p>The instance methods are for a job's own worker thread: they block. {@link #whileHeld} is the non-blocking
 * form, for work that starts from a request.
 */
public final class AdvisoryLock {

    private static final Logger LOG = Logger.getLogger(AdvisoryLock.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(2);
    static final String TRY_LOCK = "SELECT pg_try_advisory_lock($1) AS locked";
    private static final String UNLOCK = "SELECT pg_advisory_unlock($1)";

    private final Pool pool;
    private final LockId lock;
    private SqlConnection connection;

    public AdvisoryLock(Pool pool, LockId lock) {
        this.pool = pool;
        this.lock = lock;
    }

    /** True when this replica holds the lock, taking it if it is free. */
    public synchronized boolean held() {
        if (connection == null) {
            SqlConnection candidate = pool.getConnection().await().atMost(DB_TIMEOUT);
            boolean locked;
            try {
                locked = tryLock(candidate, lock).await().atMost(DB_TIMEOUT);
            } catch (RuntimeException e) {
                candidate.close().await().atMost(RELEASE_TIMEOUT);
                throw e;
            }
            if (!locked) {
                candidate.close().await().atMost(DB_TIMEOUT);
                return false;
            }
            connection = candidate;
            LOG.infof("%s is the leader", lock.job());
        }
        return true;
    }

    /**
     * The session that holds the lock, for a job whose reads must come from the leader's own session (the relay).
     * Only while {@link #held()}; a failure on it should be followed by {@link #release()}.
     */
    public synchronized SqlConnection connection() {
        if (connection == null) {
            throw new IllegalStateException(lock.job() + " does not hold its lock");
        }
        return connection;
    }

    /** Lets the lock go; the connection returns to the pool, so the lock is released explicitly first. */
    public synchronized void release() {
        if (connection == null) {
            return;
        }
        try {
            connection.preparedQuery(UNLOCK).execute(Tuple.of(lock.id())).await().atMost(RELEASE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf(e, "releasing the %s lock failed; the server frees it with the session", lock.job());
        }
        try {
            connection.close().await().atMost(RELEASE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing the %s connection failed", lock.job());
        }
        connection = null;
    }

    /**
     * Runs {@code work} while holding {@code lock} on a connection of its own, then lets the lock go whatever the
     * outcome; fails with {@code busy} at once if another session holds it. The work gets that connection.
     */
    public static <T> Uni<T> whileHeld(Pool pool, LockId lock, Supplier<? extends RuntimeException> busy,
            Function<SqlConnection, Uni<T>> work) {
        return pool
                .getConnection().chain(
                        connection -> tryLock(connection, lock)
                                .chain(locked -> locked
                                        ? work.apply(connection).onTermination()
                                                .call(() -> connection.preparedQuery(UNLOCK)
                                                        .execute(Tuple.of(lock.id())).onFailure().recoverWithNull())
                                        : Uni.createFrom().<T>failure(busy.get()))
                                .onTermination().call(connection::close));
    }

    private static Uni<Boolean> tryLock(SqlConnection connection, LockId lock) {
        return connection.preparedQuery(TRY_LOCK).execute(Tuple.of(lock.id()))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** Sleeps in short steps so a stop request ({@code running} turning false) is noticed quickly. */
    public static void pause(Duration duration, BooleanSupplier running) {
        long until = System.nanoTime() + duration.toNanos();
        try {
            while (running.getAsBoolean() && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
