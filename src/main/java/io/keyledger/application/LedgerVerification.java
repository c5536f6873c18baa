package io.keyledger.application;

import io.keyledger.store.EventStore;
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

    /** What the walk found: how many events it checked, and the first break if any. */
    public record Result(boolean valid, long eventsChecked, Optional<LedgerWalk.Break> firstBreak) {
    }

    @Inject
    EventStore store;

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
                .map(stopped -> new Result(firstBreak.get() == null, walk.checked(), Optional.ofNullable(firstBreak.get())));
    }
}
