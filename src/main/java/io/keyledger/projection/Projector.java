package io.keyledger.projection;

import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.ServiceAccount;
import io.keyledger.serviceaccount.ServiceAccountDecider;
import io.keyledger.serviceaccount.ServiceAccountEvent;
import io.keyledger.store.WritePath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes the read models in the append transaction (so a GET right after a 201 always sees the key). A service
 * account's rows are a function of its state: the events are folded onto the state the command decided on with
 * {@link ServiceAccountDecider#evolve}, and {@link AccountRows} writes what changed, in one statement. A rebuild
 * from the log ({@link ReadModelRebuild}) writes through the same fold and the same rows.
 */
@ApplicationScoped
public class Projector implements WritePath.InlineProjection {

    static final String UPSERT_POLICY = "INSERT INTO org_key_policies (org, max_lifetime_days, updated_at, updated_by, stream_version, on_leak)"
            + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org) DO UPDATE SET max_lifetime_days = EXCLUDED.max_lifetime_days,"
            + " on_leak = EXCLUDED.on_leak, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, stream_version = EXCLUDED.stream_version";

    @Inject
    ReadModelRebuild rebuild;

    @Inject
    ExpiryThresholds thresholds;

    @Override
    public Uni<Void> apply(SqlConnection tx, Object stateBefore, List<? extends DomainEvent> events, int fromVersion) {
        if (stateBefore instanceof ServiceAccount before) {
            ServiceAccount after = before;
            ServiceAccountEvent last = null;
            for (DomainEvent event : events) {
                if (event instanceof ServiceAccountEvent e) {
                    after = ServiceAccountDecider.evolve(after, e);
                    last = e;
                }
            }
            if (last == null) {
                return Uni.createFrom().voidItem();
            }
            return AccountRows
                    .write(tx, "", List.of(new AccountRows.Change(last.org(), last.serviceAccount(), before, after)),
                            thresholds.list())
                    .onFailure(DuplicateKeyHash::isCause).transform(e -> new DuplicateKeyHash());
        }
        // an org's key policy: its row is its one latest event; other streams (the ledger's, operations) have no rows
        Uni<Void> chain = Uni.createFrom().voidItem();
        int version = fromVersion;
        for (DomainEvent event : events) {
            int streamVersion = ++version;
            if (event instanceof OrgKeyPolicyChanged e) {
                chain = chain.chain(() -> tx.preparedQuery(UPSERT_POLICY).execute(Tuple.of(e.org(), e.maxLifetimeDays(),
                        e.changedAt().atOffset(ZoneOffset.UTC), e.changedBy(), streamVersion, e.onLeak().wireName()))
                        .replaceWithVoid());
            }
        }
        return chain;
    }

    /**
     * Rebuilds the read models from the log while the service keeps answering and the relay keeps
     * publishing: see {@link ReadModelRebuild}. Usage ({@code key_usage}) is not a projection of
     * events and is left untouched.
     */
    public Uni<ReadModelRebuild.Report> rebuild() {
        return rebuild.run();
    }
}
