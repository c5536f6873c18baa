package io.keyledger.serviceaccount;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service account aggregate: one {@code decide} (command and state to events, or a
 * {@link Rejection}) and one {@code evolve} (the meaning of every event). Pure: no I/O, no clock,
 * no framework.
 */
public final class ServiceAccountDecider {

    private ServiceAccountDecider() {
    }

    public static List<ServiceAccountEvent> decide(ServiceAccountCommand command, ServiceAccount state, int maxActiveKeys) {
        // Java 17: no pattern switch; the sealed interface keeps this list complete
        if (command instanceof CreateServiceAccount c) {
            return create(c, state);
        } else if (command instanceof UpdateServiceAccount c) {
            return update(c, state);
        } else if (command instanceof DeleteServiceAccount c) {
            return delete(c, state);
        } else if (command instanceof CreateKey c) {
            return createKey(c, state, maxActiveKeys);
        } else if (command instanceof RevokeKey c) {
            return revokeKey(c, state);
        } else if (command instanceof RotateKey c) {
            return rotateKey(c, state, maxActiveKeys);
        } else if (command instanceof ReportLeak c) {
            return reportLeak(c, state);
        } else if (command instanceof CheckExpiry c) {
            return checkExpiry(c, state);
        }
        throw new IllegalArgumentException("unknown command " + command.getClass().getSimpleName());
    }

    public static ServiceAccount evolve(ServiceAccount state, ServiceAccountEvent event) {
        int version = state.version() + 1;
        Map<String, Long> keys = new LinkedHashMap<>(state.unrevokedKeyExpiry());
        Map<String, String> descriptions = new LinkedHashMap<>(state.descriptions());
        Set<String> rotated = new HashSet<>(state.rotatedKeys());
        Map<String, Set<String>> notices = new LinkedHashMap<>(state.expiryNotices());
        int unrevoked = state.unrevokedKeyCount();
        boolean exists = state.exists();
        String description = state.description();
        Privilege privilege = state.privilege();
        java.time.Instant createdAt = state.createdAt();
        if (event instanceof ServiceAccountCreated e) {
            exists = true;
            description = e.description();
            privilege = e.privilege();
            createdAt = e.createdAt();
        } else if (event instanceof ServiceAccountUpdated e) {
            description = e.description() == null ? description : e.description();
            privilege = e.privilege() == null ? privilege : e.privilege();
        } else if (event instanceof ServiceAccountDeleted) {
            exists = false;
            unrevoked = 0;
            keys.clear();
            descriptions.clear();
            rotated.clear();
            notices.clear();
        } else if (event instanceof KeyCreated e) {
            if (keys.put(e.keyId(), e.expiresAt()) == null) {
                unrevoked++;
            }
            descriptions.put(e.keyId(), e.description());
        } else if (event instanceof KeyRevoked e) {
            // a command revokes only keys its state holds, so a key not held is one already revoked
            if (keys.remove(e.keyId()) != null) {
                unrevoked--;
            }
            descriptions.remove(e.keyId());
            rotated.remove(e.keyId());
            notices.remove(e.keyId());
        } else if (event instanceof KeyRotated e && keys.containsKey(e.keyId())) {
            keys.put(e.keyId(), e.gracePeriodExpiresAt());
            rotated.add(e.keyId());
        } else if (event instanceof KeyExpiringSoon e && keys.containsKey(e.keyId())) {
            notices.put(e.keyId(), with(notices.get(e.keyId()), e.warning()));
        } else if (event instanceof KeyExpired e && keys.containsKey(e.keyId())) {
            notices.put(e.keyId(), with(notices.get(e.keyId()), ServiceAccount.EXPIRED));
        }
        return new ServiceAccount(exists, version, description, privilege, createdAt, keys, descriptions, rotated, notices,
                unrevoked);
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
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_ALREADY_EXISTS, "Service account already exists");
        }
        return List.of(new ServiceAccountCreated(c.org(), c.name(), c.description(), c.privilege(), c.now(), c.actor()));
    }

    private static List<ServiceAccountEvent> update(UpdateServiceAccount c, ServiceAccount state) {
        requireAccount(state);
        return List.of(new ServiceAccountUpdated(c.org(), c.name(), c.description(), c.privilege(), c.now(), c.actor()));
    }

    /** Revokes every key not yet revoked (the state must hold them all), then deletes the account: auditors see each key end. */
    private static List<ServiceAccountEvent> delete(DeleteServiceAccount c, ServiceAccount state) {
        requireAccount(state);
        if (state.unrevokedKeyExpiry().size() != state.unrevokedKeyCount()) {
            throw new IllegalStateException("deleting an account needs a state holding every unrevoked key");
        }
        List<ServiceAccountEvent> events = new ArrayList<>();
        state.unrevokedKeyExpiry().keySet().stream().sorted().forEach(keyId -> events.add(
                new KeyRevoked(keyId, c.org(), c.name(), c.now(), c.actor(), KeyRevoked.ACCOUNT_DELETED)));
        events.add(new ServiceAccountDeleted(c.org(), c.name(), c.now(), c.actor()));
        return events;
    }

    private static List<ServiceAccountEvent> createKey(CreateKey c, ServiceAccount state, int maxActiveKeys) {
        requireAccount(state);
        if (c.expiresAt() != 0 && c.expiresAt() <= c.now().getEpochSecond()) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST, "expires_at cannot be in the past");
        }
        long expiresAt = OrgKeyPolicy.expiryUnder(c.maxLifetimeDays(), c.expiresAt(), c.now());
        requireRoomForOneMoreKey(state, c, maxActiveKeys);
        return List.of(new KeyCreated(c.keyId(), c.org(), c.serviceAccount(), c.description(), c.keyHash(), c.now(),
                expiresAt, c.actor()));
    }

    private static List<ServiceAccountEvent> revokeKey(RevokeKey c, ServiceAccount state) {
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        return List.of(new KeyRevoked(c.keyId(), c.org(), c.serviceAccount(), c.now(), c.actor()));
    }

    private static Set<String> with(Set<String> sent, String notice) {
        Set<String> more = sent == null ? new HashSet<>() : new HashSet<>(sent);
        more.add(notice);
        return more;
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
     * A leaked key that is still active is revoked at once, after the report; a key that is
     * already revoked or expired needs nothing more, so a repeated report changes nothing.
     */
    private static List<ServiceAccountEvent> reportLeak(ReportLeak c, ServiceAccount state) {
        if (!state.exists() || !state.hasActiveKey(c.keyId(), c.now())) {
            return List.of();
        }
        return List.of(new KeyLeakReported(c.keyId(), c.org(), c.serviceAccount(), c.source(), c.url(), c.now()),
                new KeyRevoked(c.keyId(), c.org(), c.serviceAccount(), c.now(), c.actor(), KeyRevoked.LEAKED));
    }

    /**
     * Replaces an active key: a new key with the original's description, and the original cut
     * to a grace period. The new key never outlives the original unless an expiry is given.
     */
    private static List<ServiceAccountEvent> rotateKey(RotateKey c, ServiceAccount state, int maxActiveKeys) {
        requireAccount(state);
        requireActiveKey(state, c.keyId(), c);
        if (state.wasRotated(c.keyId())) {
            throw new Rejection(Rejection.Reason.KEY_ALREADY_ROTATED, "API key was already rotated");
        }
        long nowSeconds = c.now().getEpochSecond();
        long originalExpiry = state.unrevokedKeyExpiry().get(c.keyId());
        long newExpiry = c.expiresAt() == null ? originalExpiry : c.expiresAt();
        if (newExpiry != 0 && newExpiry <= nowSeconds) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST, "expires_at cannot be in the past");
        }
        if (c.expiresAt() == null && c.maxLifetimeDays() != null
                && (originalExpiry == 0 || originalExpiry > nowSeconds + c.maxLifetimeDays() * 86_400L)) {
            // an inherited expiry the policy no longer allows: the longest it allows
            newExpiry = 0;
        }
        newExpiry = OrgKeyPolicy.expiryUnder(c.maxLifetimeDays(), newExpiry, c.now());
        long graceEnd = nowSeconds + c.gracePeriodHours() * 3600L;
        if (originalExpiry != 0) {
            graceEnd = Math.min(graceEnd, originalExpiry);
        }
        // the replaced key stays active through its grace period (at least an hour), so a rotation adds an active key
        requireRoomForOneMoreKey(state, c, maxActiveKeys);
        String description = state.descriptions().getOrDefault(c.keyId(), "");
        return List.of(
                new KeyCreated(c.newKeyId(), c.org(), c.serviceAccount(), description, c.newKeyHash(), c.now(), newExpiry,
                        c.actor()),
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
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
    }

    private static void requireActiveKey(ServiceAccount state, String keyId, ServiceAccountCommand c) {
        if (!state.hasActiveKey(keyId, c.now())) {
            throw new Rejection(Rejection.Reason.API_KEY_NOT_FOUND, "API key not found");
        }
    }
}
