package io.keyledger.keys;

import io.keyledger.accounts.ServiceAccountCreated;
import io.keyledger.accounts.ServiceAccountDeleted;
import io.keyledger.events.DomainEvent;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a decision about a service account's keys needs to know: whether the account exists,
 * its stream version, and the expiry of each key not yet revoked.
 */
public record Keyring(boolean accountExists, int version, Map<String, Long> unrevokedKeyExpiry,
                      Map<String, String> descriptions, Set<String> rotatedKeys) {

    public Keyring(boolean accountExists, int version, Map<String, Long> unrevokedKeyExpiry) {
        this(accountExists, version, unrevokedKeyExpiry, Map.of(), Set.of());
    }

    public Keyring(boolean accountExists, int version, Map<String, Long> unrevokedKeyExpiry,
                   Map<String, String> descriptions) {
        this(accountExists, version, unrevokedKeyExpiry, descriptions, Set.of());
    }

    public Keyring {
        unrevokedKeyExpiry = Map.copyOf(unrevokedKeyExpiry);
        descriptions = Map.copyOf(descriptions);
        rotatedKeys = Set.copyOf(rotatedKeys);
    }

    /** True when the key was replaced by a rotation (it may still work until its grace period ends). */
    public boolean wasRotated(String keyId) {
        return rotatedKeys.contains(keyId);
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
            return new Keyring(true, version, state.unrevokedKeyExpiry(), state.descriptions(), state.rotatedKeys());
        }
        if (event instanceof ServiceAccountDeleted) {
            return new Keyring(false, version, Map.of(), Map.of(), Set.of());
        }
        Map<String, Long> keys = new LinkedHashMap<>(state.unrevokedKeyExpiry());
        Map<String, String> descriptions = new LinkedHashMap<>(state.descriptions());
        Set<String> rotated = new HashSet<>(state.rotatedKeys());
        if (event instanceof KeyCreated created) {
            keys.put(created.keyId(), created.expiresAt());
            descriptions.put(created.keyId(), created.description());
        } else if (event instanceof KeyRevoked revoked) {
            keys.remove(revoked.keyId());
            descriptions.remove(revoked.keyId());
            rotated.remove(revoked.keyId());
        } else if (event instanceof KeyRotated rotation && keys.containsKey(rotation.keyId())) {
            keys.put(rotation.keyId(), rotation.gracePeriodExpiresAt());
            rotated.add(rotation.keyId());
        }
        return new Keyring(state.accountExists(), version, keys, descriptions, rotated);
    }
}
