package io.keyledger.application;

import io.keyledger.store.LedgerVerificationTable;
import io.keyledger.store.LedgerVerificationTable.Job;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Ledger verification as a job: a start records a running row (or finds the one running, on any replica) and
 * walks the log in the background, off the event loop and in bounded memory ({@link LedgerVerification}),
 * writing its progress every second. The row is the job's state, so any replica answers its progress and,
 * when done, its result.
 */
@ApplicationScoped
public class LedgerVerificationJobs {

    private static final Logger LOG = Logger.getLogger(LedgerVerificationJobs.class);

    /** How often the running replica writes progress (and so shows it is alive). */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** A running job whose progress has not moved for this long belongs to a replica that is gone. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);

    static final String STOPPED = "The verification stopped before the end of the log (the database failed or the replica"
            + " shut down); start a new one";

    @Inject
    LedgerVerification verification;

    @Inject
    LedgerVerificationTable table;

    /** The job this replica runs, if any: to mark it failed when the replica shuts down. */
    private volatile UUID runningHere;

    private volatile Cancellable walk;
    private volatile Cancellable heartbeat;

    /** The running job: a new one started by {@code requestedBy}, or the one already running. */
    public Uni<Job> start(String requestedBy) {
        UUID id = UUID.randomUUID();
        return table.startOrFindRunning(id, requestedBy, STALE_AFTER).invoke(job -> {
            if (job.id().equals(id)) {
                run(id);
            }
        });
    }

    public Uni<Optional<Job>> find(UUID id) {
        return table.find(id, STALE_AFTER);
    }

    /** The job started last (on any replica), for the console's ledger page and anyone else who asks. */
    public Uni<Optional<Job>> latest() {
        return table.latest(STALE_AFTER);
    }

    private void run(UUID id) {
        runningHere = id;
        AtomicLong checked = new AtomicLong();
        Cancellable beats = Multi.createFrom().ticks().every(HEARTBEAT).onOverflow().drop().onItem()
                .transformToUniAndConcatenate(tick -> table.progress(id, checked.get()).onFailure().recoverWithNull())
                .subscribe().with(written -> {
                }, failure -> LOG.warnf(failure, "ledger verification %s: progress writes stopped", id));
        heartbeat = beats;
        walk = table.countEvents().chain(total -> table.total(id, total)).onFailure().recoverWithNull() // the total is only a hint; the walk still runs
                .chain(() -> verification.verify(checked::lazySet)).onItemOrFailure().call((result, failure) -> {
                    beats.cancel();
                    if (failure != null) {
                        LOG.errorf(failure, "ledger verification %s failed after %d events", id, checked.get());
                        return table.fail(id, STOPPED);
                    }
                    var first = result.firstBreak();
                    LOG.infof("ledger verification %s: %d events, %d checkpoints, valid=%s", id, result.eventsChecked(),
                            result.checkpointsChecked(), result.valid());
                    return table.succeed(id, result.eventsChecked(), result.valid(), result.checkpointsChecked(),
                            first.map(b -> b.position()).orElse(null), first.map(b -> b.streamId()).orElse(null),
                            first.map(b -> b.reason()).orElse(null));
                }).onTermination().invoke(() -> {
                    runningHere = null;
                    walk = null;
                }).subscribe().with(result -> {
                }, failure -> LOG.errorf(failure, "ledger verification %s: its outcome could not be recorded", id));
    }

    /** A rolling update stops replicas: the job they ran says so at once instead of after the stale limit. */
    void onStop(@Observes ShutdownEvent event) {
        UUID id = runningHere;
        if (id == null) {
            return;
        }
        for (Cancellable running : new Cancellable[]{walk, heartbeat}) {
            if (running != null) {
                running.cancel();
            }
        }
        try {
            table.fail(id, STOPPED).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf(e, "ledger verification %s: could not record the stop; it goes stale instead", id);
        }
    }
}
