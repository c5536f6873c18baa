package io.keyledger.projection;

/**
 * What the read model knows about a key, found by its hash, and the pepper that hash was made with. Never holds the
 * key value. {@code disabled}: quarantined (refused until enabled).
 */
public record VerifiedKey(String keyId, String org, String serviceAccount, String privilege, long expiresAt,
                          boolean revoked, boolean disabled, String keyHash, String pepperId) {
}
