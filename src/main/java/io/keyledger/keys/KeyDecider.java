package io.keyledger.keys;

import io.keyledger.events.Rejection;
import io.keyledger.events.Rejection.Reason;
import java.util.List;

/** Pure decisions about API keys: no I/O, no clock, no framework. */
public final class KeyDecider {

    private KeyDecider() {
    }

    public static List<KeyEvent> decide(CreateKey command, Keyring state, int maxActiveKeys) {
        if (!state.accountExists()) {
            throw new Rejection(Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
        if (command.expiresAt() != 0 && command.expiresAt() <= command.now().getEpochSecond()) {
            throw new Rejection(Reason.EXPIRES_AT_IN_PAST, "expires_at cannot be in the past");
        }
        if (state.activeKeyCount(command.now()) >= maxActiveKeys) {
            throw new Rejection(Reason.ACTIVE_KEY_LIMIT_REACHED,
                    "Service account already has the maximum of " + maxActiveKeys + " active API keys");
        }
        return List.of(new KeyCreated(command.keyId(), command.org(), command.serviceAccount(),
                command.description(), command.keyHash(), command.now(), command.expiresAt(), command.actor()));
    }

    public static List<KeyEvent> decide(RevokeKey command, Keyring state) {
        if (!state.accountExists()) {
            throw new Rejection(Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
        if (!state.hasActiveKey(command.keyId(), command.now())) {
            throw new Rejection(Reason.API_KEY_NOT_FOUND, "API key not found");
        }
        return List.of(new KeyRevoked(command.keyId(), command.org(), command.serviceAccount(), command.now(),
                command.actor()));
    }

    /**
     * Replaces an active key: a new key with the original's description, and the original cut
     * to a grace period. The new key never outlives the original unless an expiry is given.
     */
    public static List<KeyEvent> decide(RotateKey command, Keyring state) {
        if (!state.accountExists()) {
            throw new Rejection(Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
        if (!state.hasActiveKey(command.keyId(), command.now())) {
            throw new Rejection(Reason.API_KEY_NOT_FOUND, "API key not found");
        }
        if (state.wasRotated(command.keyId())) {
            throw new Rejection(Reason.KEY_ALREADY_ROTATED, "API key was already rotated");
        }
        long nowSeconds = command.now().getEpochSecond();
        long originalExpiry = state.unrevokedKeyExpiry().get(command.keyId());
        long newExpiry = command.expiresAt() == null ? originalExpiry : command.expiresAt();
        if (newExpiry != 0 && newExpiry <= nowSeconds) {
            throw new Rejection(Reason.EXPIRES_AT_IN_PAST, "expires_at cannot be in the past");
        }
        long graceEnd = nowSeconds + command.gracePeriodHours() * 3600L;
        if (originalExpiry != 0) {
            graceEnd = Math.min(graceEnd, originalExpiry);
        }
        String description = state.descriptions().getOrDefault(command.keyId(), "");
        return List.of(
                new KeyCreated(command.newKeyId(), command.org(), command.serviceAccount(), description,
                        command.newKeyHash(), command.now(), newExpiry, command.actor()),
                new KeyRotated(command.keyId(), command.org(), command.serviceAccount(), command.newKeyId(), graceEnd,
                        command.now(), command.actor()));
    }
}
