package io.keyledger.store;

import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A background job that runs on one replica at a time: on a thread of its own, every {@code interval}, it runs its
 * work while holding its {@link AdvisoryLock}. A failure is logged and lets the lock go, so a standby may take over;
 * the next round tries again. Never on the event loop: the work may block.
 */
public final class LeaderJob {

    private static final Logger LOG = Logger.getLogger(LeaderJob.class);

    private final AdvisoryLock lock;
    private final LockId id;
    private final Duration interval;
    private final boolean waitFirst;
    private final Runnable work;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param waitFirst whether a round waits its interval before the work (a job with nothing to do at start) or
     *                  after it (a job that should catch up at once)
     */
    public LeaderJob(Pool pool, LockId id, Duration interval, boolean waitFirst, Runnable work) {
        this.lock = new AdvisoryLock(pool, id);
        this.id = id;
        this.interval = interval;
        this.waitFirst = waitFirst;
        this.work = work;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "keyledger-" + id.job().replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the round in flight (waiting at most {@code join}) and lets the lock go. */
    public synchronized void stop(Duration join) {
        running = false;
        if (thread != null) {
            try {
                thread.join(join.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.release();
    }

    /** False once a stop was asked for: long work checks it between steps. */
    public boolean running() {
        return running;
    }

    private void loop() {
        while (running) {
            if (waitFirst) {
                AdvisoryLock.pause(interval, this::running);
            }
            try {
                if (running && lock.held()) {
                    work.run();
                }
            } catch (RuntimeException e) {
                LOG.warnf("%s failed, retrying next interval: %s", id.job(), e.getMessage());
                lock.release();
            }
            if (!waitFirst) {
                AdvisoryLock.pause(interval, this::running);
            }
        }
    }
}
