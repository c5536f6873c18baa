package io.keyledger.projection;

/**
 * What the read model knows about a key, found by its hash, and the pepper that hash was made with. Never holds the
 * key value. {@code disabled}: quarantined (refused until enabled). {@code scopes}: what it may do, or null for
 * everything its account may. {@code allowedCidrs}: the addresses it may be used from, or null for any.
 */
public record VerifiedKey(String keyId, String org, String serviceAccount, String privilege, long expiresAt,
        boolean revoked, boolean disabled, String keyHash, String pepperId, java.util.List<String> scopes,
        java.util.List<String> allowedCidrs) {
}
