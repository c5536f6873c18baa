package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/**
 * Command: replace a key. {@code expiresAt} is null to inherit the original's expiry.
 * The new key's id and hash are made by the caller.
 */
public record RotateKey(String org, String serviceAccount, String keyId, String newKeyId, String newKeyHash,
        String newKeyPepperId, int gracePeriodHours, Long expiresAt, Instant now, String actor, List<String> scopes,
        List<String> allowedCidrs) implements ServiceAccountCommand {

    /** A rotation that keeps the old key's scopes. */
    public RotateKey(String org, String serviceAccount, String keyId, String newKeyId, String newKeyHash,
            String newKeyPepperId, int gracePeriodHours, Long expiresAt, Instant now, String actor) {
        this(org, serviceAccount, keyId, newKeyId, newKeyHash, newKeyPepperId, gracePeriodHours, expiresAt, now, actor,
                null, null);
    }
}
