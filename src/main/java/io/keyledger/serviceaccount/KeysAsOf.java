package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Point-in-time answers, by folding the log: which keys of a service account were active at an
 * instant. Only events that had happened by then count, so the answer stays right after later
 * rotations, grace periods, revocations and account deletions.
 */
public final class KeysAsOf {

    /**
     * A key as it stood at the instant asked about. {@code disabledAt} is set when it was disabled then (quarantined:
     * active, yet not usable), else null.
     */
    public record KeyAsOf(String id, String org, String serviceAccount, String description, Instant createdAt,
            long expiresAt, Instant disabledAt) {
    }

    private KeysAsOf() {
    }

    /** The keys active at {@code at}, newest first, from one stream's events (in stream order). */
    public static List<KeyAsOf> active(List<? extends ServiceAccountEvent> stream, Instant at) {
        Fold fold = new Fold(at);
        for (ServiceAccountEvent event : stream) {
            if (!fold.apply(event)) {
                break;
            }
        }
        return fold.active();
    }

    /**
     * One stream folded an event at a time with {@link ServiceAccountDecider#evolve}, in stream-version order,
     * keeping only the keys not yet revoked: memory grows with the keys standing at the instant, never with the
     * stream's length.
     */
    public static final class Fold {

        private final Instant at;
        /** The unrevoked keys so far, by id. */
        private final Map<String, Key> keys = new HashMap<>();

        private ServiceAccount account = ServiceAccount.initial();
        private String org;
        private String serviceAccount;
        private boolean done;

        public Fold(Instant at) {
            this.at = at;
        }

        /**
         * Applies the next event; false once the stream has passed the instant (nothing later counts). Each event is
         * given its meaning by {@code evolve}, on a slice of the state holding only the key it is about, so a step
         * costs the same however many keys the account holds.
         */
        public boolean apply(ServiceAccountEvent event) {
            if (done || event.occurredAt().isAfter(at)) {
                done = true;
                return false;
            }
            org = event.org();
            serviceAccount = event.serviceAccount();
            String keyId = event instanceof KeyEvent e ? e.keyId() : null;
            Key before = keyId == null ? null : keys.get(keyId);
            ServiceAccount slice = new ServiceAccount(account.exists(), account.version(), account.description(),
                    account.privilege(), account.createdAt(), account.createdBy(), account.deletedAt(),
                    before == null ? Map.of() : Map.of(keyId, before), keys.size());
            ServiceAccount after = ServiceAccountDecider.evolve(slice, event);
            account = new ServiceAccount(after.exists(), after.version(), after.description(), after.privilege(),
                    after.createdAt(), after.createdBy(), after.deletedAt(), Map.of(), 0);
            if (keyId != null) {
                Key key = after.keys().get(keyId);
                if (key == null || key.revoked()) {
                    keys.remove(keyId);
                } else {
                    keys.put(keyId, key);
                }
            }
            return true;
        }

        /** The keys active at the instant, newest first. */
        public List<KeyAsOf> active() {
            long atSeconds = at.getEpochSecond();
            List<KeyAsOf> active = new ArrayList<>();
            for (Key key : keys.values()) {
                if (ServiceAccount.isActive(key.expiresAt(), atSeconds)) {
                    active.add(new KeyAsOf(key.id(), org, serviceAccount, key.description(), key.createdAt(),
                            key.expiresAt(), key.isDisabled() ? key.disabled().at() : null));
                }
            }
            active.sort(NEWEST_FIRST);
            return active;
        }
    }

    /** The list's usual order: newest first, then by id. */
    public static final Comparator<KeyAsOf> NEWEST_FIRST = Comparator.comparing(KeyAsOf::createdAt).reversed()
            .thenComparing(KeyAsOf::id);
}
