package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/**
 * Command: issue a key. The id and the hash are made by the caller (randomness is I/O);
 * the key value itself never enters the domain. {@code pepperId} names the pepper the hash was made with.
 */
public record CreateKey(String org, String serviceAccount, String keyId, String keyHash, String pepperId,
        String description, long expiresAt, Instant now, String actor, List<String> scopes,
        List<String> allowedCidrs) implements ServiceAccountCommand {

    /** A key with no scopes of its own. */
    public CreateKey(String org, String serviceAccount, String keyId, String keyHash, String pepperId,
            String description, long expiresAt, Instant now, String actor) {
        this(org, serviceAccount, keyId, keyHash, pepperId, description, expiresAt, now, actor, null, null);
    }
}
