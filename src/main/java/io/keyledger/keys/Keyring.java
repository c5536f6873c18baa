package io.keyledger.keys;

import io.keyledger.accounts.ServiceAccountCreated;
import io.keyledger.events.DomainEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a decision about a service account's keys needs to know: whether the account exists,
 * its stream version, and the expiry of each key not yet revoked.
 */
public record Keyring(boolean accountExists, int version, Map<String, Long> unrevokedKeyExpiry) {

    public Keyring {
        unrevokedKeyExpiry = Map.copyOf(unrevokedKeyExpiry);
    }

    public static Keyring missing() {
        return new Keyring(false, 0, Map.of());
    }

    /** Keys that are neither revoked nor expired at {@code now}. */
    public long activeKeyCount(Instant now) {
        long nowSeconds = now.getEpochSecond();
        return unrevokedKeyExpiry.values().stream().filter(expiry -> isActive(expiry, nowSeconds)).count();
    }

    public boolean hasActiveKey(String keyId, Instant now) {
        Long expiry = unrevokedKeyExpiry.get(keyId);
        return expiry != null && isActive(expiry, now.getEpochSecond());
    }

    public static boolean isActive(long expiresAt, long nowSeconds) {
        return expiresAt == 0 || expiresAt > nowSeconds;
    }

    /** Folds one event of the stream into the state. Unknown event kinds only bump the version. */
    public static Keyring evolve(Keyring state, DomainEvent event) {
        int version = state.version() + 1;
        if (event instanceof ServiceAccountCreated) {
            return new Keyring(true, version, state.unrevokedKeyExpiry());
        }
        Map<String, Long> keys = new LinkedHashMap<>(state.unrevokedKeyExpiry());
        if (event instanceof KeyCreated created) {
            keys.put(created.keyId(), created.expiresAt());
        } else if (event instanceof KeyRevoked revoked) {
            keys.remove(revoked.keyId());
        }
        return new Keyring(state.accountExists(), version, keys);
    }
}
