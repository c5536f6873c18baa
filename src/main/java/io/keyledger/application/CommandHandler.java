package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.Facts;
import io.keyledger.serviceaccount.KeysToLoad;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountCommand;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs every command on a service account: load its state (locked), decide, append, project, in
 * one transaction ({@link EventStore#decideAndAppend}); then tell the rest of this replica what
 * changed, as CDI events (the verification cache observes them). Commands get {@code now} here.
 */
@ApplicationScoped
public class CommandHandler {

    /** A command's outcome: the events it appended and the account's state after them. */
    public record Handled(List<ServiceAccountEvent> events, ServiceAccount after) {

        /** The first event of a type, which the command is known to have produced. */
        public <E extends ServiceAccountEvent> E first(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
        }
    }

    @Inject
    EventStore store;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    @Inject
    Event<ServiceAccountEvent> changes;

    @Inject
    KeyledgerConfig config;

    /**
     * Runs one command. The locked state holds only the keys its decision needs
     * ({@link ServiceAccountDecider#keysToLoad}, and the count of all), so the cost of a command does not grow with
     * the keys the account holds unless the command is about all of them. {@code command} is given {@code now}
     * inside the transaction, once the stream's lock is held, so a stream's events are stamped in their order.
     */
    public Uni<Handled> handle(String org, String name, Function<Instant, ServiceAccountCommand> command,
            EventMetadata metadata) {
        return handleAll(org, name, now -> List.of(command.apply(now)), null, metadata);
    }

    /**
     * Runs several commands on one account in one transaction, each decided on the state the ones before it left,
     * and appends {@code claim}'s events (if not null) in that transaction too (see {@link WritePath.Claim}): all of
     * it is stored, or none. The first-admin bootstrap creates its account, its key and its once-only record this way.
     * Load, decide, append and project, top to bottom: the state and the {@link Facts} are read in the transaction.
     */
    public Uni<Handled> handleAll(String org, String name, Function<Instant, List<ServiceAccountCommand>> commands,
            Function<Instant, WritePath.Claim> claim, EventMetadata metadata) {
        if (!ServiceAccountNames.isValid(name)) {
            // a malformed name cannot exist
            return Uni.createFrom().failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "bad name"));
        }
        int maxActiveKeys = config.keys().maxActivePerServiceAccount();
        // what to load does not depend on the time: ask the commands built for the time being
        List<ServiceAccountCommand> planned = commands.apply(clock.instant());
        KeysToLoad keys = keysFor(planned, maxActiveKeys);
        boolean needsPolicy = planned.stream().anyMatch(ServiceAccountDecider::needsOrgPolicy);
        // the facts are read by the loader, in the transaction, and handed to the decision it feeds (each attempt
        // of a retried transaction reads them again)
        AtomicReference<Facts> facts = new AtomicReference<>();
        return store.decideAndAppend(ServiceAccountNames.streamId(org, name),
                load(org, name, keys, Facts.cap(maxActiveKeys), needsPolicy, facts), state -> {
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    List<ServiceAccountEvent> events = new java.util.ArrayList<>();
                    ServiceAccount after = state;
                    for (ServiceAccountCommand next : commands.apply(now)) {
                        for (ServiceAccountEvent event : ServiceAccountDecider.decide(next, after, facts.get())) {
                            events.add(event);
                            after = ServiceAccountDecider.evolve(after, event);
                        }
                    }
                    return new WritePath.Decision<>(events, new Handled(List.copyOf(events), after),
                            claim == null ? null : claim.apply(now));
                }, metadata).invoke(handled -> handled.events().forEach(changes::fire));
    }

    /** The locked state; and into {@code facts}, the cap and (when a command needs it) the org's policy. */
    private WritePath.StateLoader<ServiceAccount> load(String org, String name, KeysToLoad keys, Facts cap,
            boolean needsPolicy, AtomicReference<Facts> facts) {
        WritePath.StateLoader<ServiceAccount> state = readModel.lockedState(org, name, keys);
        if (!needsPolicy) {
            return tx -> state.load(tx).invoke(() -> facts.set(cap));
        }
        // both on the transaction's connection, pipelined: the policy costs no round trip of its own
        return tx -> Uni.combine().all().unis(state.load(tx), readModel.orgKeyPolicy(tx, org)).asTuple().map(both -> {
            facts.set(cap.withPolicy(both.getItem2()));
            return both.getItem1();
        });
    }

    /** What a batch of commands needs loaded: what its commands need, which must agree (a command needing none aside). */
    private static KeysToLoad keysFor(List<ServiceAccountCommand> commands, int maxActiveKeys) {
        KeysToLoad needed = KeysToLoad.none();
        for (ServiceAccountCommand command : commands) {
            KeysToLoad keys = ServiceAccountDecider.keysToLoad(command, maxActiveKeys);
            if (keys.kind() == KeysToLoad.Kind.NONE || keys.equals(needed)) {
                continue;
            }
            if (needed.kind() != KeysToLoad.Kind.NONE) {
                throw new IllegalArgumentException(
                        "commands of one batch need different keys: " + needed + ", " + keys);
            }
            needed = keys;
        }
        return needed;
    }
}
