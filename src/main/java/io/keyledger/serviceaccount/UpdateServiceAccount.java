package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: change description and/or privilege (null = keep). */
public record UpdateServiceAccount(String org, String name, String description, Privilege privilege, Instant now,
        String actor) implements ServiceAccountCommand {
}
