package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: revoke a key so it stops being active at once. */
public record RevokeKey(String org, String serviceAccount, String keyId, Instant now,
        String actor) implements ServiceAccountCommand {
}
