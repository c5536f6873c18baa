package io.keyledger.serviceaccount;

import java.time.Instant;

/**
 * A key was quarantined: refused everywhere (verify code {@code DISABLED}) until a {@link KeyEnabled}, yet still
 * active, listed and counted against the account's cap. Reversible, unlike {@link KeyRevoked}.
 */
public record KeyDisabled(String keyId, String org, String serviceAccount, String reason, Instant disabledAt,
        String disabledBy) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return disabledAt;
    }
}
