package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: let a disabled key back in. */
public record EnableKey(String org, String serviceAccount, String keyId, Instant now,
        String actor) implements ServiceAccountCommand {
}
