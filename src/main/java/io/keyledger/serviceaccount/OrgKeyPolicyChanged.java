package io.keyledger.serviceaccount;

import java.time.Instant;

/** An org's key policy changed: keys issued from now on live at most {@code maxLifetimeDays} (null: no limit). */
public record OrgKeyPolicyChanged(String org, Integer maxLifetimeDays, Instant changedAt,
        String changedBy) implements DomainEvent {

    @Override
    public Instant occurredAt() {
        return changedAt;
    }
}
