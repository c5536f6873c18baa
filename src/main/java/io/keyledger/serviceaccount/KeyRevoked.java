package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key was revoked: it stops being active at once. {@code reason} (schema v2) says why:
 * {@value #REVOKED} by an admin, {@value #LEAKED} after a leak report, {@value #ACCOUNT_DELETED}
 * with its account. Stored v1 events read as {@value #REVOKED}.
 */
public record KeyRevoked(String keyId, String org, String serviceAccount, Instant revokedAt, String revokedBy,
        String reason) implements KeyEvent {

    public static final String REVOKED = "revoked";
    public static final String LEAKED = "leaked";
    public static final String ACCOUNT_DELETED = "account_deleted";

    /** Revoked by an admin. */
    public KeyRevoked(String keyId, String org, String serviceAccount, Instant revokedAt, String revokedBy) {
        this(keyId, org, serviceAccount, revokedAt, revokedBy, REVOKED);
    }

    @Override
    public Instant occurredAt() {
        return revokedAt;
    }
}
