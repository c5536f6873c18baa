package io.keyledger.application;

import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerBreak;
import io.keyledger.store.EventStore;
import io.keyledger.store.LedgerWalk;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Walks the whole log off the event loop and in bounded memory: every stream's chain, and every
 * signed checkpoint's signature and Merkle root, all in one pass.
 */
@ApplicationScoped
public class LedgerVerification {

    /** What the walk found: how many events and checkpoints it checked, and the first break (by position) if any. */
    public record Result(boolean valid, long eventsChecked, long checkpointsChecked, Optional<LedgerBreak> firstBreak) {
    }

    @Inject
    EventStore store;

    @Inject
    LedgerSigner signer;

    public Uni<Result> verify() {
        // without the signing key's public half, checkpoints cannot be checked: the chain still is
        return (signer.configured() ? store.checkpointClaims() : Uni.createFrom().item(List.<CheckpointCoverage.Claim>of()))
                .chain(claims -> {
                    CheckpointCoverage coverage = new CheckpointCoverage(claims);
                    LedgerWalk walk = new LedgerWalk(coverage);
                    return store.streamAllByStream()
                            .emitOn(Infrastructure.getDefaultWorkerPool())
                            .onItem().invoke(walk::accept)
                            .onItem().ignoreAsUni()
                            .map(done -> {
                                walk.finish();
                                LedgerBreak checkpointBreak = coverage.size() == 0 ? null
                                        : coverage.firstBreak(signer.publicKey().orElseThrow());
                                LedgerBreak first = LedgerBreak.first(walk.firstBreak(), checkpointBreak);
                                return new Result(first == null, walk.checked(), coverage.size(), Optional.ofNullable(first));
                            });
                });
    }
}
