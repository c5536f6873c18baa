package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.store.LeaderJob;
import io.keyledger.store.LockId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A bean whose work runs every so often on one replica at a time, as a {@link LeaderJob} (the expiry scanner, the
 * ledger checkpointer): started at start-up where its {@link #schedule} says it is on, and only on replicas that run
 * the relay; stopped at shutdown.
 */
abstract class LeaderJobBean {

    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Inject
    KeyledgerConfig config;

    private LeaderJob job;

    /** How the job runs: its lock, how often, and whether a round waits its interval before the work. */
    record Schedule(LockId lock, Duration interval, boolean waitFirst) {
    }

    /** The job's schedule, or empty when the settings turn it off; asked once, at start-up. */
    abstract Optional<Schedule> schedule();

    /** One round of the work, on the job's own thread: it may block. */
    abstract void runOnce();

    void start(@Observes StartupEvent startup) {
        if (!config.relay().enabled()) {
            return; // replicas that run no relay run no leader jobs either
        }
        schedule().ifPresent(schedule -> {
            job = new LeaderJob(pool, schedule.lock(), schedule.interval(), schedule.waitFirst(), this::runOnce);
            job.start();
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (job != null) {
            job.stop(STOP_WAIT);
        }
    }

    /** False once a stop was asked for, so long work ends early; true where no job runs (work called directly). */
    boolean running() {
        return job == null || job.running();
    }
}
