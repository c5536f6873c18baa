package io.keyledger.serviceaccount;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The service account aggregate: one {@code decide} (command and state to events, or a
 * {@link Rejection}) and one {@code evolve} (the meaning of every event). Pure: no I/O, no clock,
 * no framework.
 */
public final class ServiceAccountDecider {

    private ServiceAccountDecider() {
    }

    /**
     * Which keys a command's decision needs its state to hold: each command declares it here, beside its decision, so
     * no caller picks what to load and the cost of a command grows with the keys only when it is about all of them.
     */
    public static KeysToLoad keysToLoad(ServiceAccountCommand command, int maxActiveKeys) {
        return switch (command) {
            case CreateServiceAccount c -> KeysToLoad.none();
            case UpdateServiceAccount c -> KeysToLoad.none();
            case DeleteServiceAccount c -> KeysToLoad.all(); // it revokes them all
            case CreateKey c -> KeysToLoad.roomForOne(maxActiveKeys);
            case RevokeKey c -> KeysToLoad.one(c.keyId());
            // a rotation adds an active key (the old one stays through its grace period)
            case RotateKey c -> KeysToLoad.oneAndRoomForOne(c.keyId(), maxActiveKeys);
            case ReportLeak c -> KeysToLoad.one(c.keyId());
            case CheckExpiry c -> KeysToLoad.one(c.keyId());
            case RehashKey c -> KeysToLoad.one(c.keyId());
            case DisableKey c -> KeysToLoad.one(c.keyId());
            case EnableKey c -> KeysToLoad.one(c.keyId());
        };
    }

    /** True for the commands whose decision reads the org's key policy (so the handler reads it for them only). */
    public static boolean needsOrgPolicy(ServiceAccountCommand command) {
        return switch (command) {
            case CreateKey c -> true;
            case RotateKey c -> true;
            case CreateServiceAccount c -> false;
            case UpdateServiceAccount c -> false;
            case DeleteServiceAccount c -> false;
            case RevokeKey c -> false;
            case ReportLeak c -> true; // revoke or disable
            case CheckExpiry c -> false;
            case RehashKey c -> false;
            case DisableKey c -> false;
            case EnableKey c -> false;
        };
    }

    public static List<ServiceAccountEvent> decide(ServiceAccountCommand command, ServiceAccount state, Facts facts) {
        // exhaustive over the sealed command family: a new command missing here fails the build
        return switch (command) {
            case CreateServiceAccount c -> create(c, state);
            case UpdateServiceAccount c -> update(c, state);
            case DeleteServiceAccount c -> delete(c, state);
            case CreateKey c -> createKey(c, state, facts);
            case RevokeKey c -> revokeKey(c, state);
            case RotateKey c -> rotateKey(c, state, facts);
            case ReportLeak c -> reportLeak(c, state, facts);
            case CheckExpiry c -> checkExpiry(c, state);
            case RehashKey c -> rehashKey(c, state);
            case DisableKey c -> disableKey(c, state);
            case EnableKey c -> enableKey(c, state);
        };
    }

    public static ServiceAccount evolve(ServiceAccount state, ServiceAccountEvent event) {
        int version = state.version() + 1;
        Map<String, Key> keys = new HashMap<>(state.keys());
        int unrevoked = state.unrevokedKeyCount();
        // exhaustive over the sealed event family: a new event missing here fails the build
        switch (event) {
            case ServiceAccountCreated e -> {
                return new ServiceAccount(true, version, e.description(), e.privilege(), e.createdAt(), e.createdBy(),
                        null, keys, unrevoked);
            }
            case ServiceAccountUpdated e -> {
                return new ServiceAccount(state.exists(), version,
                        e.description() == null ? state.description() : e.description(),
                        e.privilege() == null ? state.privilege() : e.privilege(), state.createdAt(), state.createdBy(),
                        state.deletedAt(), keys, unrevoked);
            }
            case ServiceAccountDeleted e -> {
                // the deletion's own command revoked every key first (delete), so nothing stays unrevoked
                return new ServiceAccount(false, version, state.description(), state.privilege(), state.createdAt(),
                        state.createdBy(), e.deletedAt(), keys, 0);
            }
            case KeyCreated e -> {
                if (keys.put(e.keyId(),
                        new Key(e.keyId(), e.description(), e.keyHash(), e.pepperId(), e.createdAt(), e.expiresAt(),
                                e.createdBy(), null, null, List.of(), null, e.scopes(), e.allowedCidrs())) == null) {
                    unrevoked++;
                }
            }
            case KeyRevoked e -> {
                // a command revokes only keys its state holds, so a key not held is one already revoked
                Key key = state.unrevokedKey(e.keyId());
                if (key != null) {
                    keys.put(e.keyId(), key.revokedAt(e.revokedAt()));
                    unrevoked--;
                }
            }
            case KeyRotated e ->
                change(keys, state, e.keyId(), key -> key.replacedBy(e.replacedBy(), e.gracePeriodExpiresAt()));
            case KeyExpiringSoon e -> change(keys, state, e.keyId(), key -> key.withNotice(e.warning()));
            case KeyExpired e -> change(keys, state, e.keyId(), key -> key.withNotice(ServiceAccount.EXPIRED));
            case KeyRehashed e -> change(keys, state, e.keyId(), key -> key.rehashed(e.keyHash(), e.toPepperId()));
            case KeyDisabled e -> change(keys, state, e.keyId(),
                    key -> key.disabledAs(new Key.Disabled(e.disabledAt(), e.reason(), e.disabledBy())));
            case KeyEnabled e -> change(keys, state, e.keyId(), key -> key.disabledAs(null));
            case KeyLeakReported e -> {
                // recorded for auditors; the revocation that follows it is its own event
            }
        }
        return new ServiceAccount(state.exists(), version, state.description(), state.privilege(), state.createdAt(),
                state.createdBy(), state.deletedAt(), keys, unrevoked);
    }

    /** Changes an unrevoked key the state holds; an event about a key not held changes nothing but the version. */
    private static void change(Map<String, Key> keys, ServiceAccount state, String keyId, UnaryOperator<Key> change) {
        Key key = state.unrevokedKey(keyId);
        if (key != null) {
            keys.put(keyId, change.apply(key));
        }
    }

    /** Folds a whole stream, from the start. */
    public static ServiceAccount fold(List<? extends ServiceAccountEvent> events) {
        ServiceAccount state = ServiceAccount.initial();
        for (ServiceAccountEvent event : events) {
            state = evolve(state, event);
        }
        return state;
    }

    private static List<ServiceAccountEvent> create(CreateServiceAccount c, ServiceAccount state) {
        if (state.exists()) {
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_ALREADY_EXISTS);
        }
        return List
                .of(new ServiceAccountCreated(c.org(), c.name(), c.description(), c.privilege(), c.now(), c.actor()));
    }

    private static List<ServiceAccountEvent> update(UpdateServiceAccount c, ServiceAccount state) {
        requireAccount(state);
        boolean sameDescription = c.description() == null || c.description().equals(state.description());
        boolean samePrivilege = c.privilege() == null || c.privilege() == state.privilege();
        if (sameDescription && samePrivilege) {
            return List.of(); // nothing changes, so nothing is recorded: a PATCH cannot grow the log for free
        }
        return List
                .of(new ServiceAccountUpdated(c.org(), c.name(), c.description(), c.privilege(), c.now(), c.actor()));
    }

    /** Revokes every key not yet revoked (the state must hold them all), then deletes the account: auditors see each key end. */
    private static List<ServiceAccountEvent> delete(DeleteServiceAccount c, ServiceAccount state) {
        requireAccount(state);
        if (state.unrevokedKeyExpiry().size() != state.unrevokedKeyCount()) {
            throw new IllegalStateException("deleting an account needs a state holding every unrevoked key");
        }
        List<ServiceAccountEvent> events = new ArrayList<>();
        state.unrevokedKeyExpiry().keySet().stream().sorted().forEach(keyId -> events
                .add(new KeyRevoked(keyId, c.org(), c.name(), c.now(), c.actor(), KeyRevoked.ACCOUNT_DELETED)));
        events.add(new ServiceAccountDeleted(c.org(), c.name(), c.now(), c.actor()));
        return events;
    }

    private static List<ServiceAccountEvent> createKey(CreateKey c, ServiceAccount state, Facts facts) {
        requireAccount(state);
        if (c.expiresAt() != 0 && c.expiresAt() <= c.now().getEpochSecond()) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST);
        }
        long expiresAt = OrgKeyPolicy.expiryUnder(facts.maxLifetimeDays(), c.expiresAt(), c.now());
        requireRoomForOneMoreKey(state, c, facts.maxActiveKeys());
        return List.of(new KeyCreated(c.keyId(), c.org(), c.serviceAccount(), c.description(), c.keyHash(),
                c.pepperId(), c.now(), expiresAt, c.actor(), c.scopes(), c.allowedCidrs()));
    }

    /** Quarantines an active key; it stays active (listed, counted against the cap) but is refused everywhere. */
    private static List<ServiceAccountEvent> disableKey(DisableKey c, ServiceAccount state) {
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        if (state.unrevokedKey(c.keyId()).isDisabled()) {
            throw new Rejection(Rejection.Reason.KEY_ALREADY_DISABLED);
        }
        return List.of(new KeyDisabled(c.keyId(), c.org(), c.serviceAccount(), c.reason(), c.now(), c.actor()));
    }

    private static List<ServiceAccountEvent> enableKey(EnableKey c, ServiceAccount state) {
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        if (!state.unrevokedKey(c.keyId()).isDisabled()) {
            throw new Rejection(Rejection.Reason.KEY_NOT_DISABLED);
        }
        return List.of(new KeyEnabled(c.keyId(), c.org(), c.serviceAccount(), c.now(), c.actor()));
    }

    private static List<ServiceAccountEvent> revokeKey(RevokeKey c, ServiceAccount state) {
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        return List.of(new KeyRevoked(c.keyId(), c.org(), c.serviceAccount(), c.now(), c.actor()));
    }

    /**
     * Re-hashes an active key found under an older pepper, once: a key revoked or expired meanwhile, or already
     * re-hashed (by another replica that saw it first), gets nothing, so revocation wins every race and a repeated
     * command changes nothing. Not a rejection either: the verification that sent it has its answer already.
     */
    private static List<ServiceAccountEvent> rehashKey(RehashKey c, ServiceAccount state) {
        Key key = state.unrevokedKey(c.keyId());
        if (!state.exists() || key == null || !state.hasActiveKey(c.keyId(), c.now())
                || !c.fromPepperId().equals(key.pepperId()) || c.toPepperId().equals(key.pepperId())) {
            return List.of();
        }
        return List.of(new KeyRehashed(c.keyId(), c.org(), c.serviceAccount(), c.fromPepperId(), c.toPepperId(),
                c.newKeyHash(), c.now()));
    }

    /**
     * Records each expiry warning now due for a key, once, and its expiry once it has passed. A
     * revoked key, a key rotated away, or one that never expires gets none.
     */
    private static List<ServiceAccountEvent> checkExpiry(CheckExpiry c, ServiceAccount state) {
        Long expiry = state.unrevokedKeyExpiry().get(c.keyId());
        if (!state.exists() || expiry == null || expiry == 0 || state.wasRotated(c.keyId())) {
            return List.of();
        }
        Set<String> sent = state.noticesOf(c.keyId());
        long now = c.now().getEpochSecond();
        List<ServiceAccountEvent> events = new ArrayList<>();
        if (expiry <= now) {
            if (!sent.contains(ServiceAccount.EXPIRED)) {
                events.add(new KeyExpired(c.keyId(), c.org(), c.serviceAccount(), expiry));
            }
            return events;
        }
        for (ExpiryWarnings.Threshold threshold : c.thresholds()) {
            if (!sent.contains(threshold.text()) && now >= expiry - threshold.before().getSeconds()) {
                events.add(new KeyExpiringSoon(c.keyId(), c.org(), c.serviceAccount(), expiry, threshold.text()));
            }
        }
        return events;
    }

    /**
     * A leaked key that is still active is revoked at once, after the report, or quarantined when the org's policy
     * says {@code on_leak: disable}. A key already revoked or expired needs nothing more, and neither does one
     * already disabled under a disable policy, so a repeated report changes nothing. Under a revoke policy a
     * disabled key is revoked: it is still active, and the leak makes its quarantine final.
     */
    private static List<ServiceAccountEvent> reportLeak(ReportLeak c, ServiceAccount state, Facts facts) {
        if (!state.exists() || !state.hasActiveKey(c.keyId(), c.now())) {
            return List.of();
        }
        ServiceAccountEvent response = switch (facts.onLeak()) {
            case REVOKE ->
                new KeyRevoked(c.keyId(), c.org(), c.serviceAccount(), c.now(), c.actor(), KeyRevoked.LEAKED);
            case DISABLE -> state.unrevokedKey(c.keyId()).isDisabled()
                    ? null
                    : new KeyDisabled(c.keyId(), c.org(), c.serviceAccount(), leakReason(c), c.now(), c.actor());
        };
        if (response == null) {
            return List.of();
        }
        return List.of(new KeyLeakReported(c.keyId(), c.org(), c.serviceAccount(), c.source(), c.url(), c.now()),
                response);
    }

    /** The disable reason of a leak report: where it came from, within the 200 characters a reason may have. */
    static String leakReason(ReportLeak c) {
        String reason = "Reported as leaked by " + c.source();
        return reason.length() <= Limits.MAX_DISABLE_REASON_LENGTH
                ? reason
                : reason.substring(0, Limits.MAX_DISABLE_REASON_LENGTH);
    }

    /**
     * Replaces an active key: a new key with the original's description, and the original cut
     * to a grace period. The new key never outlives the original unless an expiry is given.
     */
    private static List<ServiceAccountEvent> rotateKey(RotateKey c, ServiceAccount state, Facts facts) {
        Integer maxLifetimeDays = facts.maxLifetimeDays();
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        if (state.wasRotated(c.keyId())) {
            throw new Rejection(Rejection.Reason.KEY_ALREADY_ROTATED);
        }
        long nowSeconds = c.now().getEpochSecond();
        long originalExpiry = state.unrevokedKeyExpiry().get(c.keyId());
        long newExpiry = c.expiresAt() == null ? originalExpiry : c.expiresAt();
        if (newExpiry != 0 && newExpiry <= nowSeconds) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST);
        }
        if (c.expiresAt() == null && maxLifetimeDays != null
                && (originalExpiry == 0 || originalExpiry > nowSeconds + maxLifetimeDays * 86_400L)) {
            // an inherited expiry the policy no longer allows: the longest it allows
            newExpiry = 0;
        }
        newExpiry = OrgKeyPolicy.expiryUnder(maxLifetimeDays, newExpiry, c.now());
        long graceEnd = nowSeconds + c.gracePeriodHours() * 3600L;
        if (originalExpiry != 0) {
            graceEnd = Math.min(graceEnd, originalExpiry);
        }
        // the replaced key stays active through its grace period (at least an hour), so a rotation adds an active key
        requireRoomForOneMoreKey(state, c, facts.maxActiveKeys());
        Key original = state.unrevokedKey(c.keyId());
        String description = java.util.Objects.requireNonNullElse(original.description(), "");
        // the new key gets the original's scopes, or the narrower list the rotation asks for
        List<String> scopes = Scopes.forRotation(original.scopes(), c.scopes());
        return List.of(
                new KeyCreated(c.newKeyId(), c.org(), c.serviceAccount(), description, c.newKeyHash(),
                        c.newKeyPepperId(), c.now(), newExpiry, c.actor(), scopes,
                        // the address allow-list is copied unless the rotation gives a new one
                        c.allowedCidrs() != null ? c.allowedCidrs() : original.allowedCidrs()),
                new KeyRotated(c.keyId(), c.org(), c.serviceAccount(), c.newKeyId(), graceEnd, c.now(), c.actor()));
    }

    /** The one cap check, for a create and a rotation alike: the same rejection and message. */
    private static void requireRoomForOneMoreKey(ServiceAccount state, ServiceAccountCommand c, int maxActiveKeys) {
        if (state.activeKeyCount(c.now()) >= maxActiveKeys) {
            throw new Rejection(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                    "Service account already has the maximum of " + maxActiveKeys + " active API keys");
        }
    }

    private static void requireAccount(ServiceAccount state) {
        if (!state.exists()) {
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND);
        }
    }

    private static void requireActiveKey(ServiceAccount state, String keyId, ServiceAccountCommand c) {
        if (!state.hasActiveKey(keyId, c.now())) {
            throw new Rejection(Rejection.Reason.API_KEY_NOT_FOUND);
        }
    }
}
