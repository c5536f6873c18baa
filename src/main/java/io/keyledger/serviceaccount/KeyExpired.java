package io.keyledger.serviceaccount;

import java.time.Instant;

/** A key's expiry passed; recorded once, after it. */
public record KeyExpired(String keyId, String org, String serviceAccount, long expiresAt) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return Instant.ofEpochSecond(expiresAt);
    }
}
