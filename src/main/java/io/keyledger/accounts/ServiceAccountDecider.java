package io.keyledger.accounts;

import io.keyledger.events.DomainEvent;
import io.keyledger.events.Rejection;
import io.keyledger.keys.KeyRevoked;
import io.keyledger.keys.Keyring;
import java.util.ArrayList;
import java.util.List;

/** Pure decisions for service accounts: no I/O, no clock, no framework. */
public final class ServiceAccountDecider {

    private ServiceAccountDecider() {
    }

    public static List<AccountEvent> decide(CreateServiceAccount command, boolean alreadyExists) {
        if (alreadyExists) {
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_ALREADY_EXISTS, "Service account already exists");
        }
        return List.of(new ServiceAccountCreated(command.org(), command.name(), command.description(),
                command.privilege(), command.now(), command.actor()));
    }

    public static List<AccountEvent> decide(UpdateServiceAccount command, boolean exists) {
        if (!exists) {
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
        return List.of(new ServiceAccountUpdated(command.org(), command.name(), command.description(),
                command.privilege(), command.now(), command.actor()));
    }

    /** Revokes every key not yet revoked, then deletes the account: auditors see each key end. */
    public static List<DomainEvent> decide(DeleteServiceAccount command, Keyring state) {
        if (!state.accountExists()) {
            throw new Rejection(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, "Service account not found");
        }
        List<DomainEvent> events = new ArrayList<>();
        state.unrevokedKeyExpiry().keySet().stream().sorted().forEach(keyId -> events.add(
                new KeyRevoked(keyId, command.org(), command.name(), command.now(), command.actor())));
        events.add(new ServiceAccountDeleted(command.org(), command.name(), command.now(), command.actor()));
        return events;
    }
}
