package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * An org's key policy changed: keys issued from now on live at most {@code maxLifetimeDays} (null: no limit), and a
 * leak report does {@code onLeak} to a key. Events stored before {@code on_leak} existed read as {@code REVOKE}.
 */
public record OrgKeyPolicyChanged(String org, Integer maxLifetimeDays, OrgKeyPolicy.OnLeak onLeak, Instant changedAt,
        String changedBy) implements DomainEvent {

    @Override
    public Instant occurredAt() {
        return changedAt;
    }
}
