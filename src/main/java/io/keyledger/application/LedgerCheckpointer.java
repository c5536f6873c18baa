package io.keyledger.application;

import io.keyledger.ledger.CheckpointStatement;
import io.keyledger.ledger.MerkleTree;
import io.keyledger.serviceaccount.LedgerCheckpoint;
import io.keyledger.store.CheckpointQueries;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.LockId;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Records signed checkpoints of the log ({@link LedgerCheckpoint} in stream {@code ledger}) every
 * {@code keyledger.ledger.checkpoint-interval}, when the log changed, on one replica (an advisory
 * lock of its own). A checkpoint covers what transactions older than the oldest one still running
 * wrote, so an event that commits late can never fall inside a checkpoint after it was signed.
 */
@ApplicationScoped
public class LedgerCheckpointer extends LeaderJobBean {

    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
    private static final SystemActor ACTOR = new SystemActor("ledger-checkpointer");

    @Inject
    EventStore store;

    @Inject
    CheckpointQueries checkpoints;

    @Inject
    LedgerSigner signer;

    @Override
    Optional<Schedule> schedule() {
        Duration interval = config.ledger().checkpointInterval();
        return signer.configured() && !interval.isZero()
                ? Optional.of(new Schedule(LockId.LEDGER_CHECKPOINTER, interval, true))
                : Optional.empty();
    }

    @Override
    void runOnce() {
        recordNow().await().atMost(DB_TIMEOUT);
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
                        EventMetadata metadata = ACTOR.metadata("checkpoint");
                        return store.decideAndAppend(MerkleTree.LEDGER_STREAM,
                                store.streamVersion(MerkleTree.LEDGER_STREAM),
                                version -> new WritePath.Decision<>(List.of(checkpoint), Optional.of(checkpoint)),
                                metadata);
                    });
                })));
    }
}
