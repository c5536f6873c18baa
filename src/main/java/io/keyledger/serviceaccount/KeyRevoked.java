package io.keyledger.serviceaccount;

import java.time.Instant;

/** A key was revoked: it stops being active at once. */
public record KeyRevoked(
        String keyId,
        String org,
        String serviceAccount,
        Instant revokedAt,
        String revokedBy) implements ServiceAccountEvent {

    @Override
    public Instant occurredAt() {
        return revokedAt;
    }
}
