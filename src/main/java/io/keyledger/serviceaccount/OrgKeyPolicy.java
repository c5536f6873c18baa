package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/**
 * An org's key policy (its own stream, {@code org:<org>}): the longest a new key may live, what a leak report does
 * to a key, and when and by whom that was set. Pure: the command is decided and the events folded here.
 */
public record OrgKeyPolicy(Integer maxLifetimeDays, OnLeak onLeak, Instant updatedAt, String updatedBy) {

    /** What a true-positive leak report does to an active key. */
    public enum OnLeak {
        /** Final: the key never works again (the default, and all there was before the option). */
        REVOKE,
        /** Reversible: the key is quarantined ({@link KeyDisabled}) until an admin enables or revokes it. */
        DISABLE;

        /** The name in the API and in events: {@code revoke}, {@code disable}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The value of a wire name, or null for anything else. */
        public static OnLeak ofWireName(String name) {
            for (OnLeak value : values()) {
                if (value.wireName().equals(name)) {
                    return value;
                }
            }
            return null;
        }
    }

    /** Command: set the org's longest key lifetime (null: none) and its leak response. */
    public record SetKeyPolicy(String org, Integer maxLifetimeDays, OnLeak onLeak, Instant now, String actor) {
    }

    public static OrgKeyPolicy none() {
        return new OrgKeyPolicy(null, OnLeak.REVOKE, null, null);
    }

    /** Setting what is already set changes nothing: when and by whom stay those of the real change. */
    public static List<OrgKeyPolicyChanged> decide(SetKeyPolicy command, OrgKeyPolicy state) {
        Integer days = command.maxLifetimeDays();
        if (days != null && (days < Limits.MIN_LIFETIME_DAYS || days > Limits.MAX_LIFETIME_DAYS)) {
            throw new IllegalArgumentException("max lifetime out of range: " + days);
        }
        if (state.updatedAt() != null && java.util.Objects.equals(days, state.maxLifetimeDays())
                && command.onLeak() == state.onLeak()) {
            return List.of();
        }
        return List.of(new OrgKeyPolicyChanged(command.org(), days, command.onLeak(), command.now(), command.actor()));
    }

    public static OrgKeyPolicy evolve(OrgKeyPolicy state, OrgKeyPolicyChanged event) {
        return new OrgKeyPolicy(event.maxLifetimeDays(), event.onLeak(), event.changedAt(), event.changedBy());
    }

    /** True when a key (created at {@code createdAt}, expiring at {@code expiresAt}, 0 = never) outlives the policy. */
    public static boolean exceeds(Integer maxLifetimeDays, Instant createdAt, long expiresAt) {
        return maxLifetimeDays != null
                && (expiresAt == 0 || expiresAt - createdAt.getEpochSecond() > maxLifetimeDays * 86_400L);
    }

    /**
     * The expiry a new key gets under a policy of {@code maxLifetimeDays} (null: none): never (0)
     * becomes the longest allowed; an explicit expiry past it is refused.
     */
    public static long expiryUnder(Integer maxLifetimeDays, long requestedExpiresAt, Instant now) {
        if (maxLifetimeDays == null) {
            return requestedExpiresAt;
        }
        long latest = now.getEpochSecond() + maxLifetimeDays * 86_400L;
        if (requestedExpiresAt == 0) {
            return latest;
        }
        if (requestedExpiresAt > latest) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_EXCEEDS_POLICY,
                    "expires_at exceeds the org's maximum key lifetime of " + maxLifetimeDays + " days");
        }
        return requestedExpiresAt;
    }
}
