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
}
