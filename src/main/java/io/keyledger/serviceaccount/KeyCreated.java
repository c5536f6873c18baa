package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key was issued. Carries the key's HMAC hash (so the projection can be rebuilt) but never
 * the key value. {@code expiresAt} is unix seconds, 0 for never. {@code pepperId} (schema v2) names the pepper
 * the hash was made with; a v1 event was hashed under the single pepper of its day, {@value Peppers#LEGACY_ID}.
 */
public record KeyCreated(
        String keyId,
        String org,
        String serviceAccount,
        String description,
        String keyHash,
        String pepperId,
        Instant createdAt,
        long expiresAt,
        String createdBy) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return createdAt;
    }
}
