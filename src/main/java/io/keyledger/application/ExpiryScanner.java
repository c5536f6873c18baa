package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.CheckExpiry;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.LeaderJob;
import io.keyledger.store.LockId;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records expiry warnings ({@code KeyExpiringSoon}, once per threshold per key) and expiries
 * ({@code KeyExpired}, once) as events. One scanner across all replicas holds a PostgreSQL
 * advisory lock of its own; every {@code keyledger.expiry.scan-interval} it takes the keys due a
 * notice from an index and runs a {@link CheckExpiry} command on each. Exactly once comes from the
 * aggregate, not from the scanner: the account's locked state knows which notices were recorded,
 * so a second scanner, a restart or a new leader can only find nothing more to record.
 * It runs on its own thread, never on the event loop.
 */
@ApplicationScoped
public class ExpiryScanner {

    private static final Logger LOG = Logger.getLogger(ExpiryScanner.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    static final Map<String, String> ACTOR = Map.of("type", "system", "name", "expiry-scanner");

    @Inject
    CommandHandler commands;

    @Inject
    ReadModel readModel;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Inject
    KeyledgerConfig config;

    private List<ExpiryWarnings.Threshold> thresholds;
    private LeaderJob job;

    void start(@Observes StartupEvent startup) {
        thresholds = ExpiryWarnings.parse(config.expiry().warnings());
        if (!config.expiry().enabled() || !config.relay().enabled()) {
            return; // replicas that run no relay run no scanner either
        }
        job = new LeaderJob(pool, LockId.EXPIRY_SCANNER, config.expiry().scanInterval(), false, this::scanOnce);
        job.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (job != null) {
            job.stop(Duration.ofSeconds(5));
        }
    }

    /** Looks at every key due a notice now, in batches; returns how many notices were recorded. */
    public int scanOnce() {
        int recorded = 0;
        int looked = 0;
        List<ReadModel.DueKey> due;
        do {
            due = readModel.keysDueNotice(clock.instant().getEpochSecond(), config.expiry().batchSize()).await()
                    .atMost(DB_TIMEOUT);
            for (ReadModel.DueKey key : due) {
                recorded += check(key);
            }
            looked += due.size();
        } while (due.size() == config.expiry().batchSize() && looked < 100 * config.expiry().batchSize()
                && (job == null || job.running()));
        return recorded;
    }

    private int check(ReadModel.DueKey key) {
        EventMetadata metadata = new EventMetadata("expiry-scanner", ACTOR, "expiry-scan-" + UUID.randomUUID());
        CommandHandler.Handled handled = commands
                .handle(key.org(), key.serviceAccount(), now -> new CheckExpiry(key.org(), key.serviceAccount(),
                        key.id(), thresholds, now, metadata.actorName()), metadata)
                .await().atMost(DB_TIMEOUT);
        if (handled.events().isEmpty()) {
            // nothing recorded, so the command's projection did not touch the row: move its next look on here (a
            // threshold setting changed since the row was written, or a key no longer due anything)
            Long expiry = handled.after().unrevokedKeyExpiry().get(key.id());
            Long next = expiry == null || handled.after().wasRotated(key.id())
                    ? null
                    : ExpiryWarnings.nextNoticeAt(expiry, handled.after().noticesOf(key.id()), thresholds);
            readModel.setNextNotice(key.id(), next).await().atMost(DB_TIMEOUT);
        }
        return handled.events().size();
    }
}
