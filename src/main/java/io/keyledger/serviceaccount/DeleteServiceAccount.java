package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: delete a service account and revoke all of its keys. */
public record DeleteServiceAccount(String org, String name, Instant now,
        String actor) implements ServiceAccountCommand {
}
