package io.keyledger.projection;

import io.keyledger.accounts.ServiceAccountNames;
import io.keyledger.events.DomainEvent;
import io.keyledger.events.Rejection;
import io.keyledger.keys.Keyring;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.Transactions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The one write path of every command on a service account's stream: lock its state, decide,
 * append the events and project them, all in one transaction.
 */
@ApplicationScoped
public class EventRecorder {

    /** A decision on a service account, given its locked state and the time; it records what it decided. */
    @FunctionalInterface
    public interface Decision<T> {
        Uni<T> apply(SqlConnection tx, Keyring state, Instant now);
    }

    @Inject
    EventStore eventStore;

    @Inject
    Projector projector;

    @Inject
    ReadModel readModel;

    @Inject
    Transactions transactions;

    @Inject
    Clock clock;

    /** Load (locked), decide and record in one transaction; a malformed name cannot exist, so it is a 404. */
    public <T> Uni<T> onAccount(String org, String name, Decision<T> decision) {
        if (!ServiceAccountNames.isValid(name)) {
            return Uni.createFrom().failure(new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "bad name"));
        }
        return transactions.decideAndAppend(tx -> readModel.lockKeyring(tx, org, name)
                .chain(state -> decision.apply(tx, state, clock.instant().truncatedTo(ChronoUnit.MICROS))));
    }

    /** Appends a decision's events to the account's stream after {@code state}, and projects them. */
    public Uni<Void> record(SqlConnection tx, String org, String name, Keyring state, List<? extends DomainEvent> events,
                            EventMetadata metadata) {
        return record(tx, ServiceAccountNames.streamId(org, name), state.version(), events, metadata);
    }

    public Uni<Void> record(SqlConnection tx, String streamId, int expectedVersion, List<? extends DomainEvent> events,
                            EventMetadata metadata) {
        Uni<Void> chain = eventStore.append(tx, streamId, expectedVersion, events, metadata);
        int version = expectedVersion;
        for (DomainEvent event : events) {
            int streamVersion = ++version;
            chain = chain.chain(() -> projector.apply(tx, event, streamVersion));
        }
        return chain;
    }
}
