package io.keyledger.accounts;

import io.keyledger.auth.ApiKeyVerifier;
import io.keyledger.events.DomainEvent;
import io.keyledger.events.Rejection;
import io.keyledger.projection.EventRecorder;
import io.keyledger.projection.ReadModel;
import io.keyledger.projection.ServiceAccountView;
import io.keyledger.store.EventMetadata;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Creates and reads service accounts: the I/O shell around {@link ServiceAccountDecider}. */
@ApplicationScoped
public class ServiceAccountService {

    @Inject
    EventRecorder recorder;

    @Inject
    ReadModel readModel;

    @Inject
    ApiKeyVerifier verifier;

    public Uni<ServiceAccountView> create(String org, String name, String description, Privilege privilege,
                                          EventMetadata metadata) {
        return recorder.onAccount(org, name, (tx, state, now) -> {
            var command = new CreateServiceAccount(org, name, description, privilege, now, metadata.actorName());
            List<AccountEvent> events = ServiceAccountDecider.decide(command, state.accountExists());
            return recorder.record(tx, org, name, state, events, metadata)
                    .replaceWith(new ServiceAccountView(org, name, description, privilege.wireName(), now));
        });
    }

    /** Changes description and/or privilege; a privilege change reaches API-key callers at once. */
    public Uni<ServiceAccountView> update(String org, String name, String description, Privilege privilege,
                                          EventMetadata metadata) {
        return recorder.onAccount(org, name, (tx, state, now) -> {
            var command = new UpdateServiceAccount(org, name, description, privilege, now, metadata.actorName());
            List<AccountEvent> events = ServiceAccountDecider.decide(command, state.accountExists());
            // read back inside the transaction: what this update wrote, whatever commits after it
            return recorder.record(tx, org, name, state, events, metadata)
                    .chain(() -> readModel.findServiceAccount(tx, org, name))
                    .map(found -> found.orElseThrow(() -> new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "gone")));
        }).invoke(() -> verifier.invalidateAccount(org, name));
    }

    /** Deletes the account after revoking each of its keys; returns how many keys were revoked. */
    public Uni<Integer> delete(String org, String name, EventMetadata metadata) {
        return recorder.onAccount(org, name, (tx, state, now) -> {
            List<DomainEvent> events = ServiceAccountDecider.decide(new DeleteServiceAccount(org, name, now, metadata.actorName()), state);
            return recorder.record(tx, org, name, state, events, metadata).replaceWith(events.size() - 1);
        }).invoke(() -> verifier.invalidateAccount(org, name));
    }

    public Uni<List<ServiceAccountView>> list(String org) {
        return readModel.listServiceAccounts(org);
    }

    public Uni<Optional<ServiceAccountView>> find(String org, String name) {
        if (!ServiceAccountNames.isValid(name)) {
            return Uni.createFrom().item(Optional.empty());
        }
        return readModel.findServiceAccount(org, name);
    }
}
