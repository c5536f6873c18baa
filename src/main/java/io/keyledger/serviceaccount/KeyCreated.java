package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/**
 * A key was issued. Carries the key's HMAC hash (so the projection can be rebuilt) but never
 * the key value. {@code expiresAt} is unix seconds, 0 for never. {@code pepperId} (schema v2) names the pepper
 * the hash was made with; a v1 event was hashed under the single pepper of its day, {@value Peppers#LEGACY_ID}.
 * {@code scopes} is what the key may do ({@link Scopes}), or null for everything its account may (stored only
 * when set, so a key issued without it is stored and published exactly as before). {@code allowedCidrs} likewise:
 * the addresses it may be used from, or null for any.
 */
public record KeyCreated(String keyId, String org, String serviceAccount, String description, String keyHash,
        String pepperId, Instant createdAt, long expiresAt, String createdBy, List<String> scopes,
        List<String> allowedCidrs) implements KeyEvent {

    public KeyCreated {
        scopes = scopes == null ? null : List.copyOf(scopes);
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
    }

    /** A key with no scopes of its own. */
    public KeyCreated(String keyId, String org, String serviceAccount, String description, String keyHash,
            String pepperId, Instant createdAt, long expiresAt, String createdBy) {
        this(keyId, org, serviceAccount, description, keyHash, pepperId, createdAt, expiresAt, createdBy, null, null);
    }

    @Override
    public Instant occurredAt() {
        return createdAt;
    }
}
