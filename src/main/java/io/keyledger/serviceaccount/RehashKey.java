package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * Command: record a key's hash under the current pepper. Sent by verification after it found the key under an
 * older pepper; the new hash is made by the caller (the key value never enters the domain).
 */
public record RehashKey(String org, String serviceAccount, String keyId, String fromPepperId, String toPepperId,
        String newKeyHash, Instant now, String actor) implements ServiceAccountCommand {

    @Override
    public String toString() {
        return "RehashKey[keyId=" + keyId + ", from=" + fromPepperId + ", to=" + toPepperId + "]";
    }
}
