package io.keyledger.application;

import io.keyledger.ledger.CheckpointCoverage;
import io.keyledger.ledger.LedgerBreak;
import io.keyledger.store.CheckpointQueries;
import io.keyledger.store.EventLog;
import io.keyledger.store.LedgerWalk;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

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
    EventLog log;

    @Inject
    CheckpointQueries checkpoints;

    @Inject
    LedgerSigner signer;

    /** The walk did not finish within the time limit a request can wait (the log is too long for one request). */
    public static final class TimeLimitExceeded extends RuntimeException {
        private final Duration limit;

        TimeLimitExceeded(Duration limit) {
            super("the ledger walk did not finish within " + limit, null, false, false);
            this.limit = limit;
        }

        public Duration limit() {
            return limit;
        }
    }

    private static final Duration MIN_TIMER = Duration.ofMillis(1);

    public Uni<Result> verify() {
        return verify(checked -> {
        });
    }

    /**
     * The walk for a request: fails with {@link TimeLimitExceeded} (and stops reading the log) once it has run for
     * {@code limit}, so the caller can answer before the connection's idle timeout.
     */
    public Uni<Result> verifyWithin(Duration limit) {
        return Uni.createFrom().deferred(() -> {
            long deadline = System.nanoTime() + limit.toNanos();
            return verify(checked -> {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeLimitExceeded(limit);
                }
            }).ifNoItem().after(limit.compareTo(MIN_TIMER) < 0 ? MIN_TIMER : limit) // a stalled read; Vert.x timers start at 1 ms
                    .failWith(() -> new TimeLimitExceeded(limit));
        });
    }

    /** The walk, telling {@code progress} the number of events checked so far after each one (on a worker thread). */
    public Uni<Result> verify(LongConsumer progress) {
        // without the signing key's public half, checkpoints cannot be checked: the chain still is
        return (signer.configured()
                ? checkpoints.checkpointClaims()
                : Uni.createFrom().item(List.<CheckpointCoverage.Claim>of())).chain(claims -> {
                    CheckpointCoverage coverage = new CheckpointCoverage(claims);
                    LedgerWalk walk = new LedgerWalk(coverage);
                    return log.streamAllByStream().emitOn(Infrastructure.getDefaultWorkerPool()).onItem()
                            .invoke(event -> {
                                walk.accept(event);
                                progress.accept(walk.checked());
                            }).onItem().ignoreAsUni().map(done -> {
                                walk.finish();
                                LedgerBreak checkpointBreak = coverage.size() == 0
                                        ? null
                                        : coverage.firstBreak(signer.keysById());
                                LedgerBreak first = LedgerBreak.first(walk.firstBreak(), checkpointBreak);
                                return new Result(first == null, walk.checked(), coverage.size(),
                                        Optional.ofNullable(first));
                            });
                });
    }
}
