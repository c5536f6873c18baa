package io.keyledger.serviceaccount;

import java.time.Instant;

/** A disabled key was let back in: it works again as before its {@link KeyDisabled}. */
public record KeyEnabled(String keyId, String org, String serviceAccount, Instant enabledAt,
        String enabledBy) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return enabledAt;
    }
}
