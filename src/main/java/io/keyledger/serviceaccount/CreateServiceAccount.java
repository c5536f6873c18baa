package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: create a service account. {@code now} and {@code actor} arrive with it so decide stays pure. */
public record CreateServiceAccount(String org, String name, String description, Privilege privilege, Instant now,
        String actor) implements ServiceAccountCommand {
}
