package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/**
 * An org's key policy (its own stream, {@code org:<org>}): the longest a new key may live, and
 * when and by whom that was set. Pure: the command is decided and the events folded here.
 */
public record OrgKeyPolicy(Integer maxLifetimeDays, Instant updatedAt, String updatedBy) {

    /** Command: set (or, with null, clear) the org's longest key lifetime. */
    public record SetKeyPolicy(String org, Integer maxLifetimeDays, Instant now, String actor) {
    }

    public static OrgKeyPolicy none() {
        return new OrgKeyPolicy(null, null, null);
    }

    /** Setting what is already set changes nothing: when and by whom stay those of the real change. */
    public static List<OrgKeyPolicyChanged> decide(SetKeyPolicy command, OrgKeyPolicy state) {
        Integer days = command.maxLifetimeDays();
        if (days != null && (days < Limits.MIN_LIFETIME_DAYS || days > Limits.MAX_LIFETIME_DAYS)) {
            throw new IllegalArgumentException("max lifetime out of range: " + days);
        }
        if (state.updatedAt() != null && java.util.Objects.equals(days, state.maxLifetimeDays())) {
            return List.of();
        }
        return List.of(new OrgKeyPolicyChanged(command.org(), days, command.now(), command.actor()));
    }

    public static OrgKeyPolicy evolve(OrgKeyPolicy state, OrgKeyPolicyChanged event) {
        return new OrgKeyPolicy(event.maxLifetimeDays(), event.changedAt(), event.changedBy());
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
