package io.keyledger.serviceaccount;

/**
 * What a decision needs from outside its own stream: the active-key cap (configuration) and the org's key policy
 * (its own stream, {@code org:<org>}). The command handler reads them inside the command's transaction and hands
 * them to {@link ServiceAccountDecider#decide}; this is the only way they reach a decision.
 *
 * @param maxActiveKeys   the most active keys one service account may hold
 * @param maxLifetimeDays the org's longest key lifetime, or null for none
 * @param onLeak          what the org's policy does to a leaked key
 */
public record Facts(int maxActiveKeys, Integer maxLifetimeDays, OrgKeyPolicy.OnLeak onLeak) {

    /** Facts with no org policy: only the cap. */
    public static Facts cap(int maxActiveKeys) {
        return new Facts(maxActiveKeys, null, OrgKeyPolicy.OnLeak.REVOKE);
    }

    public Facts withPolicy(OrgKeyPolicy policy) {
        return new Facts(maxActiveKeys, policy.maxLifetimeDays(), policy.onLeak());
    }
}
