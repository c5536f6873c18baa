package io.keyledger.accounts;

import io.keyledger.projection.Projector;
import io.keyledger.projection.ReadModel;
import io.keyledger.projection.ServiceAccountView;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Creates and reads service accounts: the I/O shell around {@link ServiceAccountDecider}. */
@ApplicationScoped
public class ServiceAccountService {

    @Inject
    Transactions transactions;

    @Inject
    EventStore eventStore;

    @Inject
    Projector projector;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    public Uni<ServiceAccountView> create(String org, String name, String description, Privilege privilege,
                                          EventMetadata metadata) {
        String streamId = ServiceAccountNames.streamId(org, name);
        return transactions.decideAndAppend(tx -> readModel.lockKeyring(tx, org, name).chain(state -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            var command = new CreateServiceAccount(org, name, description, privilege, now, metadata.actor());
            List<AccountEvent> events = ServiceAccountDecider.decide(command, state.accountExists());
            ServiceAccountCreated created = (ServiceAccountCreated) events.get(0);
            return eventStore.append(tx, streamId, state.version(), events, metadata)
                    .chain(() -> projector.apply(tx, created, state.version() + 1))
                    .replaceWith(new ServiceAccountView(org, name, description, privilege.wireName(),
                            created.createdAt()));
        }));
    }

    public Uni<Optional<ServiceAccountView>> find(String org, String name) {
        if (!ServiceAccountNames.isValid(name)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return readModel.findServiceAccount(org, name);
    }
}
