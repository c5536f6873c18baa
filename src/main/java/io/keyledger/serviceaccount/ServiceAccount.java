package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The state of one service account's stream: whether the account exists, the stream version, the account's own
 * fields, how many keys are not yet revoked, and its keys. Folded from events by
 * {@link ServiceAccountDecider#evolve}, the one place that gives an event its meaning; the read-model rows are
 * written from it ({@code projection.AccountRows}), and the locked rows are its snapshot.
 *
 * <p>After a fold {@code keys} holds every key of the stream since its account was last created, revoked ones
 * included. A state loaded for one command holds only the unrevoked keys that command needs (the key it names; at
 * the active-key cap, the keys that lapse soonest; none at all to create a key below the cap), while
 * {@code unrevokedKeyCount} always counts them all. Every decision is written so that it is the same on such a
 * state as on the full fold; {@link #activeKeyCount} says how.
 */
public record ServiceAccount(boolean exists, int version, String description, Privilege privilege, Instant createdAt,
        String createdBy, Instant deletedAt, Map<String, Key> keys, int unrevokedKeyCount) {

    /** The notice that marks a recorded expiry. */
    public static final String EXPIRED = "expired";

    public ServiceAccount {
        keys = Map.copyOf(keys);
        long held = keys.values().stream().filter(key -> !key.revoked()).count();
        if (unrevokedKeyCount < held) {
            throw new IllegalArgumentException("more unrevoked keys held than counted");
        }
    }

    /** An account that never existed: where every stream starts. */
    public static ServiceAccount initial() {
        return new ServiceAccount(false, 0, null, null, null, null, null, Map.of(), 0);
    }

    /** True once the stream has created its account (it may have been deleted since). */
    public boolean everCreated() {
        return createdAt != null;
    }

    /** The same state less its revoked keys: what a loaded snapshot holds, and all a later decision needs. */
    public ServiceAccount live() {
        Map<String, Key> unrevoked = new HashMap<>();
        keys.forEach((id, key) -> {
            if (!key.revoked()) {
                unrevoked.put(id, key);
            }
        });
        return new ServiceAccount(exists, version, description, privilege, createdAt, createdBy, deletedAt, unrevoked,
                unrevokedKeyCount);
    }

    /** The unrevoked key of this id, or null. */
    public Key unrevokedKey(String keyId) {
        Key key = keys.get(keyId);
        return key == null || key.revoked() ? null : key;
    }

    /** The expiry (unix seconds, 0 = never) of each unrevoked key held. */
    public Map<String, Long> unrevokedKeyExpiry() {
        Map<String, Long> expiry = new HashMap<>();
        keys.values().stream().filter(key -> !key.revoked()).forEach(key -> expiry.put(key.id(), key.expiresAt()));
        return expiry;
    }

    /** The notices recorded for a key: its expiry warnings sent (by text) and {@value #EXPIRED} once its expiry is recorded. */
    public Set<String> noticesOf(String keyId) {
        Key key = unrevokedKey(keyId);
        return key == null ? Set.of() : new HashSet<>(key.notices());
    }

    /**
     * Keys that are neither revoked nor expired at {@code now}: the unrevoked count less the held
     * keys that have lapsed. Exact on a full fold. On a partial state it is exact where the create
     * decision needs it: below the cap an upper bound is enough (nothing need be held), and at the
     * cap the state holds the {@code count - cap + 1} soonest-lapsing keys, so either all of those
     * have lapsed (room for one more) or every lapsed key is among them.
     */
    public long activeKeyCount(Instant now) {
        long nowSeconds = now.getEpochSecond();
        return unrevokedKeyCount - keys.values().stream()
                .filter(key -> !key.revoked() && !isActive(key.expiresAt(), nowSeconds)).count();
    }

    public boolean hasActiveKey(String keyId, Instant now) {
        Key key = unrevokedKey(keyId);
        return key != null && isActive(key.expiresAt(), now.getEpochSecond());
    }

    /** True when the key was replaced by a rotation (it may still work until its grace period ends). */
    public boolean wasRotated(String keyId) {
        Key key = unrevokedKey(keyId);
        return key != null && key.rotated();
    }

    /** The one definition of "active" for an expiry in unix seconds (0 = never). */
    public static boolean isActive(long expiresAt, long nowSeconds) {
        return expiresAt == 0 || expiresAt > nowSeconds;
    }
}
