package io.keyledger.application;

import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.OrgBootstrapped;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.store.EventLog;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.VersionConflict;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The first admin of an org, made with the bootstrap token: refused once the org's bootstrap is on the log or the
 * org has an admin service account; otherwise {@link KeyService#bootstrapAdmin}, whose version-0 claim on stream
 * {@code bootstrap:<org>} is what makes it once only when two requests (or replicas) race past these checks.
 */
@ApplicationScoped
public class OrgBootstraps {

    private static final Logger LOG = Logger.getLogger(OrgBootstraps.class);

    /** The org was bootstrapped already (or has an admin service account): the token is spent. */
    public static final class AlreadyBootstrapped extends RuntimeException {
        AlreadyBootstrapped(String why) {
            super(why, null, false, false);
        }
    }

    @Inject
    EventLog log;

    @Inject
    ReadModel readModel;

    @Inject
    KeyService keys;

    public Uni<KeyService.BootstrappedAdmin> bootstrap(String org, String name, String description,
            EventMetadata metadata) {
        String stream = OrgBootstrapped.stream(org);
        return log.streamExists(stream).chain(used -> {
            if (used) {
                return Uni.createFrom().failure(new AlreadyBootstrapped("org " + org + " was bootstrapped already"));
            }
            return readModel.listServiceAccounts(org).chain(accounts -> {
                if (accounts.stream().anyMatch(a -> Privilege.ADMIN.wireName().equals(a.privilege()))) {
                    return Uni.createFrom()
                            .failure(new AlreadyBootstrapped("org " + org + " has an admin service account"));
                }
                return keys.bootstrapAdmin(org, name, description, metadata);
            });
        }).onFailure(failure -> failure instanceof VersionConflict conflict && conflict.streamId().equals(stream))
                .transform(failure -> new AlreadyBootstrapped("org " + org + " was bootstrapped by another request"))
                .invoke(admin -> LOG.infof("Org %s bootstrapped: admin service account %s, key %s, request %s", org,
                        name, admin.key().id(), metadata.requestId()));
    }
}
