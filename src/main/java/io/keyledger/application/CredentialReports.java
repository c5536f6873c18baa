package io.keyledger.application;

import io.keyledger.config.KeyledgerConfig;
import io.keyledger.projection.ReadModel;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The credential report: every active key of an org, when it was last used, and whether it outlives the org's policy. */
@ApplicationScoped
public class CredentialReports {

    /** One line of the report; scopes and allowed CIDRs are null when the key has none, disabledAt when it is not. */
    public record Line(String serviceAccount, String privilege, String id, String description, Instant createdAt,
            long expiresAt, Instant lastUsedAt, boolean exceedsPolicy, List<String> scopes, List<String> allowedCidrs,
            Instant disabledAt) {
    }

    @Inject
    ReadModel readModel;

    @Inject
    Clock clock;

    @Inject
    KeyledgerConfig config;

    /** Streamed a page at a time, in bounded memory; {@code unusedForDays} keeps keys unused that long (a never-used key counts from creation). */
    public Multi<Line> report(String org, int unusedForDays) {
        Instant now = clock.instant();
        return readModel
                .credentialReport(org, now, now.minus(Duration.ofDays(unusedForDays)), config.report().pageSize())
                .map(key -> new Line(key.serviceAccount(), key.privilege(), key.id(), key.description(),
                        key.createdAt(), key.expiresAt(), key.lastUsedAt(),
                        OrgKeyPolicy.exceeds(key.policyMaxLifetimeDays(), key.createdAt(), key.expiresAt()),
                        key.scopes(), key.allowedCidrs(), key.disabledAt()));
    }
}
