package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.ledger.CheckpointStatement;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.serviceaccount.LedgerCheckpoint;
import io.keyledger.store.CheckpointQueries;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.LeaderJob;
import io.keyledger.store.LockId;
import io.keyledger.store.WritePath;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records signed checkpoints of the log ({@link LedgerCheckpoint} in stream {@code ledger}) every
 * {@code keyledger.ledger.checkpoint-interval}, when the log changed, on one replica (an advisory
 * lock of its own). A checkpoint covers what transactions older than the oldest one still running
 * wrote, so an event that commits late can never fall inside a checkpoint after it was signed.
 */
@ApplicationScoped
public class LedgerCheckpointer {

    private static final Logger LOG = Logger.getLogger(LedgerCheckpointer.class);
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    static final Map<String, String> ACTOR = Map.of("type", "system", "name", "ledger-checkpointer");

    @Inject
    EventStore store;

    @Inject
    CheckpointQueries checkpoints;

    @Inject
    LedgerSigner signer;

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Inject
    KeyledgerConfig config;

    private LeaderJob job;

    void start(@Observes StartupEvent startup) {
        Duration interval = config.ledger().checkpointInterval();
        if (!signer.configured() || interval.isZero() || !config.relay().enabled()) {
            return;
        }
        job = new LeaderJob(pool, LockId.LEDGER_CHECKPOINTER, interval, true,
                () -> recordNow().await().atMost(DB_TIMEOUT));
        job.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (job != null) {
            job.stop(Duration.ofSeconds(5));
        }
    }

    /** Signs a checkpoint of the log as it stands, unless nothing changed since the last one. */
    public Uni<Optional<LedgerCheckpoint>> recordNow() {
        if (!signer.configured()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return checkpoints.snapshotXmin().chain(xmin -> checkpoints.lastPositionBelow(xmin)
                .chain(position -> checkpoints.latestCheckpoint().chain(latest -> {
                    if (latest.isPresent() && latest.get().data().getLong("position") == position.longValue()) {
                        return Uni.createFrom().item(Optional.<LedgerCheckpoint>empty());
                    }
                    return checkpoints.headsBelow(xmin).chain(heads -> {
                        String root = MerkleTree.root(heads);
                        String signature = signer.sign(CheckpointStatement.signedBytes(position, xmin, root));
                        LedgerCheckpoint checkpoint = new LedgerCheckpoint(position, xmin, heads.size(), root,
                                signature, clock.instant().truncatedTo(ChronoUnit.MICROS),
                                signer.keyId().orElseThrow());
                        EventMetadata metadata = new EventMetadata("ledger-checkpointer", ACTOR,
                                "checkpoint-" + UUID.randomUUID());
                        return store.decideAndAppend(MerkleTree.LEDGER_STREAM,
                                store.streamVersion(MerkleTree.LEDGER_STREAM),
                                version -> new WritePath.Decision<>(List.of(checkpoint), Optional.of(checkpoint)),
                                metadata);
                    });
                })));
    }
}
