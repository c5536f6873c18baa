package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The state of one service account's stream: whether the account exists, the stream version,
 * the account's own fields, how many keys are not yet revoked, and those keys (their expiry,
 * description, and whether a rotation replaced them). Folded from events by
 * {@link ServiceAccountDecider#evolve}; the locked read-model row is its snapshot.
 *
 * <p>After a fold the key maps hold every unrevoked key. A state loaded for one command may hold
 * only the keys that command needs (the key it names; at the active-key cap, the keys that lapse
 * soonest; none at all to create a key below the cap), while {@code unrevokedKeyCount} always
 * counts them all. Every decision is written so that it is the same on such a state as on the full
 * fold; {@link #activeKeyCount} says how.
 */
public record ServiceAccount(boolean exists, int version, String description, Privilege privilege, Instant createdAt,
                             Map<String, Long> unrevokedKeyExpiry, Map<String, String> descriptions,
                             Set<String> rotatedKeys, Map<String, Set<String>> expiryNotices, int unrevokedKeyCount) {

    public ServiceAccount {
        if (unrevokedKeyCount < unrevokedKeyExpiry.size()) {
            throw new IllegalArgumentException("more keys held than counted");
        }
        unrevokedKeyExpiry = Map.copyOf(unrevokedKeyExpiry);
        descriptions = Map.copyOf(descriptions);
        rotatedKeys = Set.copyOf(rotatedKeys);
        java.util.Map<String, Set<String>> notices = new java.util.HashMap<>();
        expiryNotices.forEach((key, sent) -> notices.put(key, Set.copyOf(sent)));
        expiryNotices = Map.copyOf(notices);
    }

    public ServiceAccount(boolean exists, int version, String description, Privilege privilege, Instant createdAt,
                          Map<String, Long> unrevokedKeyExpiry, Map<String, String> descriptions, Set<String> rotatedKeys) {
        this(exists, version, description, privilege, createdAt, unrevokedKeyExpiry, descriptions, rotatedKeys, Map.of());
    }

    /** A state holding every unrevoked key (as a fold does): the count is the number held. */
    public ServiceAccount(boolean exists, int version, String description, Privilege privilege, Instant createdAt,
                          Map<String, Long> unrevokedKeyExpiry, Map<String, String> descriptions, Set<String> rotatedKeys,
                          Map<String, Set<String>> expiryNotices) {
        this(exists, version, description, privilege, createdAt, unrevokedKeyExpiry, descriptions, rotatedKeys, expiryNotices,
                unrevokedKeyExpiry.size());
    }

    /** The notices recorded for a key: its expiry warnings sent (by text) and {@value #EXPIRED} once its expiry is recorded. */
    public Set<String> noticesOf(String keyId) {
        return expiryNotices.getOrDefault(keyId, Set.of());
    }

    /** The notice that marks a recorded expiry. */
    public static final String EXPIRED = "expired";

    /** An account that never existed: where every stream starts. */
    public static ServiceAccount initial() {
        return new ServiceAccount(false, 0, null, null, null, Map.of(), Map.of(), Set.of());
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
        return unrevokedKeyCount - unrevokedKeyExpiry.values().stream().filter(expiry -> !isActive(expiry, nowSeconds)).count();
    }

    public boolean hasActiveKey(String keyId, Instant now) {
        Long expiry = unrevokedKeyExpiry.get(keyId);
        return expiry != null && isActive(expiry, now.getEpochSecond());
    }

    /** True when the key was replaced by a rotation (it may still work until its grace period ends). */
    public boolean wasRotated(String keyId) {
        return rotatedKeys.contains(keyId);
    }

    /** The one definition of "active" for an expiry in unix seconds (0 = never). */
    public static boolean isActive(long expiresAt, long nowSeconds) {
        return expiresAt == 0 || expiresAt > nowSeconds;
    }
}
