package io.keyledger.application;

import io.keyledger.store.EventStore;
import io.keyledger.store.LedgerCheckpoints;
import io.keyledger.store.LedgerWalk;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Walks the whole log and checks the ledger chain, off the event loop and in bounded memory. */
@ApplicationScoped
public class LedgerVerification {

    /** What the walk found: how many events and checkpoints it checked, and the first break if any. */
    public record Result(boolean valid, long eventsChecked, long checkpointsChecked, Optional<LedgerWalk.Break> firstBreak) {
    }

    @Inject
    EventStore store;

    @Inject
    LedgerSigner signer;

    public Uni<Result> verify() {
        LedgerWalk walk = new LedgerWalk();
        AtomicReference<LedgerWalk.Break> firstBreak = new AtomicReference<>();
        return store.streamAllByStream()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .select().where(event -> {
                    if (firstBreak.get() == null) {
                        walk.accept(event).ifPresent(firstBreak::set);
                    }
                    return firstBreak.get() != null;
                })
                .toUni()
                .map(stopped -> new Result(firstBreak.get() == null, walk.checked(), 0, Optional.ofNullable(firstBreak.get())))
                .chain(walked -> walked.valid() && signer.configured() ? checkLatestCheckpoint(walked) : Uni.createFrom().item(walked));
    }

    /**
     * The latest checkpoint must still match the log: its Merkle root over every stream's head (as
     * of the transactions it covers) and its signature. A deleted tail or stream changes a head.
     */
    private Uni<Result> checkLatestCheckpoint(Result walked) {
        return store.latestCheckpoint().chain(latest -> {
            if (latest.isEmpty()) {
                return Uni.createFrom().item(walked);
            }
            var checkpoint = latest.get();
            var data = checkpoint.data();
            String covers = data.getString("covers_transactions_below");
            return store.headsBelow(covers).map(heads -> {
                String root = LedgerCheckpoints.merkleRoot(heads);
                boolean signed = signer.verify(LedgerCheckpoints.signedBytes(data.getLong("position"), covers,
                        data.getString("merkle_root")), data.getString("signature"));
                if (!signed) {
                    return new Result(false, walked.eventsChecked(), 1, Optional.of(new LedgerWalk.Break(checkpoint.position(),
                            LedgerCheckpoints.STREAM, "checkpoint signature does not verify")));
                }
                if (!root.equals(data.getString("merkle_root"))) {
                    return new Result(false, walked.eventsChecked(), 1, Optional.of(new LedgerWalk.Break(checkpoint.position(),
                            LedgerCheckpoints.STREAM, "checkpoint's Merkle root does not match the log: events or streams it "
                            + "covers were deleted or changed")));
                }
                return new Result(true, walked.eventsChecked(), 1, Optional.empty());
            });
        });
    }
}
