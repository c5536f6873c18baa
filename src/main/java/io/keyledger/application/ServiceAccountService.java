package io.keyledger.application;

import io.keyledger.projection.ReadModel;
import io.keyledger.projection.ServiceAccountView;
import io.keyledger.serviceaccount.CreateServiceAccount;
import io.keyledger.serviceaccount.DeleteServiceAccount;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountNames;
import io.keyledger.serviceaccount.UpdateServiceAccount;
import io.keyledger.store.EventMetadata;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Service accounts: create, update, delete (through {@link CommandHandler}) and read. */
@ApplicationScoped
public class ServiceAccountService {

    @Inject
    CommandHandler commands;

    @Inject
    ReadModel readModel;

    public Uni<ServiceAccountView> create(String org, String name, String description, Privilege privilege,
            EventMetadata metadata) {
        return commands.handle(org, name,
                now -> new CreateServiceAccount(org, name, description, privilege, now, metadata.actorName()), metadata)
                .map(handled -> view(org, name, handled.after()));
    }

    /** Changes description and/or privilege; answers with the state this update produced. */
    public Uni<ServiceAccountView> update(String org, String name, String description, Privilege privilege,
            EventMetadata metadata) {
        return commands.handle(org, name,
                now -> new UpdateServiceAccount(org, name, description, privilege, now, metadata.actorName()), metadata)
                .map(handled -> view(org, name, handled.after()));
    }

    /** Deletes the account after revoking each of its keys; returns how many keys were revoked. */
    public Uni<Integer> delete(String org, String name, EventMetadata metadata) {
        return commands
                .handle(org, name, now -> new DeleteServiceAccount(org, name, now, metadata.actorName()), metadata)
                .map(handled -> (int) handled.events().stream().filter(KeyRevoked.class::isInstance).count());
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

    private static ServiceAccountView view(String org, String name, ServiceAccount state) {
        return new ServiceAccountView(org, name, state.description(), state.privilege().wireName(), state.createdAt());
    }
}
