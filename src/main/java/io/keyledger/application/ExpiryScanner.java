package io.keyledger.application;

import io.keyledger.projection.ExpiryThresholds;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.CheckExpiry;
import io.keyledger.serviceaccount.ExpiryWarnings;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.LockId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
public class ExpiryScanner extends LeaderJobBean {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(10);
    private static final SystemActor ACTOR = new SystemActor("expiry-scanner");

    @Inject
    CommandHandler commands;

    @Inject
    ReadModel readModel;

    @Inject
    ExpiryThresholds thresholds;

    @Override
    Optional<Schedule> schedule() {
        return config.expiry().enabled()
                ? Optional.of(new Schedule(LockId.EXPIRY_SCANNER, config.expiry().scanInterval(), false))
                : Optional.empty();
    }

    @Override
    void runOnce() {
        scanOnce();
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
        } while (due.size() == config.expiry().batchSize() && looked < 100 * config.expiry().batchSize() && running());
        return recorded;
    }

    private int check(ReadModel.DueKey key) {
        EventMetadata metadata = ACTOR.metadata("expiry-scan");
        CommandHandler.Handled handled = commands
                .handle(key.org(), key.serviceAccount(), now -> new CheckExpiry(key.org(), key.serviceAccount(),
                        key.id(), thresholds.list(), now, metadata.actorName()), metadata)
                .await().atMost(DB_TIMEOUT);
        if (handled.events().isEmpty()) {
            // nothing recorded, so the command's projection did not touch the row: move its next look on here (a
            // threshold setting changed since the row was written, or a key no longer due anything)
            Long expiry = handled.after().unrevokedKeyExpiry().get(key.id());
            Long next = expiry == null || handled.after().wasRotated(key.id())
                    ? null
                    : ExpiryWarnings.nextNoticeAt(expiry, handled.after().noticesOf(key.id()), thresholds.list());
            readModel.setNextNotice(key.id(), next).await().atMost(DB_TIMEOUT);
        }
        return handled.events().size();
    }
}
