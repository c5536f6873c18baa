package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: quarantine an active key, saying why (1 to 200 characters, checked at the edge). */
public record DisableKey(String org, String serviceAccount, String keyId, String reason, Instant now,
        String actor) implements ServiceAccountCommand {
}
