package io.keyledger.serviceaccount;

import java.time.Instant;

/** A key will expire at {@code expiresAt}; the {@code warning} threshold (e.g. "30d") has been reached. Once per threshold. */
public record KeyExpiringSoon(String keyId, String org, String serviceAccount, long expiresAt,
        String warning) implements KeyEvent {

    /** When the warning became due: the threshold before the expiry. */
    @Override
    public Instant occurredAt() {
        return Instant.ofEpochSecond(expiresAt).minus(ExpiryWarnings.duration(warning));
    }
}
