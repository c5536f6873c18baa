package io.keyledger.projection;

/** What the read model knows about a key, found by its hash, and the pepper that hash was made with. Never holds the key value. */
public record VerifiedKey(String keyId, String org, String serviceAccount, String privilege, long expiresAt,
                          boolean revoked, String keyHash, String pepperId) {
}
