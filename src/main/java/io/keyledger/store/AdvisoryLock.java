package io.keyledger.store;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * One replica at a time: a PostgreSQL session advisory lock held on a connection of its own, for
 * the background jobs that must run once across replicas (expiry scans, ledger checkpoints). If
 * the replica dies its session ends and the lock is free for a standby. For a worker thread only:
 * it blocks.
 */
public final class AdvisoryLock {

    private static final Logger LOG = Logger.getLogger(AdvisoryLock.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final long lockId;
    private final String name;
    private SqlConnection connection;

    public AdvisoryLock(Pool pool, long lockId, String name) {
        this.pool = pool;
        this.lockId = lockId;
        this.name = name;
    }

    /** True when this replica holds the lock, taking it if it is free. */
    public synchronized boolean held() {
        if (connection == null) {
            SqlConnection candidate = pool.getConnection().await().atMost(DB_TIMEOUT);
            boolean locked = candidate.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked").execute(Tuple.of(lockId))
                    .await().atMost(DB_TIMEOUT).iterator().next().getBoolean("locked");
            if (!locked) {
                candidate.close().await().atMost(DB_TIMEOUT);
                return false;
            }
            connection = candidate;
            LOG.infof("%s is the leader", name);
        }
        return true;
    }

    /** Lets the lock go; the connection returns to the pool, so the lock is released explicitly first. */
    public synchronized void release() {
        if (connection == null) {
            return;
        }
        try {
            connection.query("SELECT pg_advisory_unlock_all()").execute().await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf(e, "releasing the %s lock failed; the server frees it with the session", name);
        }
        try {
            connection.close().await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf(e, "closing the %s connection failed", name);
        }
        connection = null;
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
