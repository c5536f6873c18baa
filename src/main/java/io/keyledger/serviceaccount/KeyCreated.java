package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key was issued. Carries the key's HMAC hash (so the projection can be rebuilt) but never
 * the key value. {@code expiresAt} is unix seconds, 0 for never.
 */
public record KeyCreated(
        String keyId,
        String org,
        String serviceAccount,
        String description,
        String keyHash,
        Instant createdAt,
        long expiresAt,
        String createdBy) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return createdAt;
    }
}
