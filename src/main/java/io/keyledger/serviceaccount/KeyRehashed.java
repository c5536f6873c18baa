package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key presented under an older pepper was verified and its hash made again under the current one: from now on
 * it is found with one HMAC. Nothing else about the key changes. {@code keyHash} is the new hash, kept in the
 * stored event only (a rebuild must find the key under it) and never published, like {@link KeyCreated}'s.
 */
public record KeyRehashed(String keyId, String org, String serviceAccount, String fromPepperId, String toPepperId,
        String keyHash, Instant rehashedAt) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return rehashedAt;
    }

    @Override
    public String toString() {
        return "KeyRehashed[keyId=" + keyId + ", from=" + fromPepperId + ", to=" + toPepperId + "]"; // no hash in logs
    }
}
