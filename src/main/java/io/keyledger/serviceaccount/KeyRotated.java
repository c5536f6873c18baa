package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key was replaced by {@code replacedBy}; it keeps working until {@code gracePeriodExpiresAt}
 * (unix seconds, never later than its own expiry) and then stops.
 */
public record KeyRotated(String keyId, String org, String serviceAccount, String replacedBy, long gracePeriodExpiresAt,
        Instant rotatedAt, String rotatedBy) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return rotatedAt;
    }
}
