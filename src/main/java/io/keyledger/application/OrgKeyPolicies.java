package io.keyledger.application;

import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.store.EventMetadata;
import io.keyledger.store.EventStore;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** An org's key policy: set through its own stream ({@code org:<org>}), read from the read model. */
@ApplicationScoped
public class OrgKeyPolicies {

    @Inject
    EventStore store;

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    public static String streamId(String org) {
        return "org:" + org;
    }

    public Uni<OrgKeyPolicy> set(String org, Integer maxLifetimeDays, OrgKeyPolicy.OnLeak onLeak,
            EventMetadata metadata) {
        return store.decideAndAppend(streamId(org), readModel.lockedPolicy(org), state -> {
            var command = new OrgKeyPolicy.SetKeyPolicy(org, maxLifetimeDays, onLeak,
                    clock.instant().truncatedTo(ChronoUnit.MICROS), metadata.actorName());
            List<OrgKeyPolicyChanged> events = OrgKeyPolicy.decide(command, state);
            OrgKeyPolicy after = events.isEmpty() ? state : OrgKeyPolicy.evolve(state, events.get(0));
            return new WritePath.Decision<>(events, after);
        }, metadata);
    }

    public Uni<OrgKeyPolicy> get(String org) {
        return readModel.orgKeyPolicy(org);
    }
}
