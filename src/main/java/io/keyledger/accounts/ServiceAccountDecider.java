package io.keyledger.accounts;

import io.keyledger.events.Rejection;
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
}
