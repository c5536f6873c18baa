package io.keyledger.serviceaccount;

import java.time.Instant;
import java.util.List;

/** Command (from the expiry scanner): record the warnings now due for a key, and its expiry once it has passed. */
public record CheckExpiry(String org, String serviceAccount, String keyId, List<ExpiryWarnings.Threshold> thresholds,
        Instant now, String actor) implements ServiceAccountCommand {

    public CheckExpiry {
        thresholds = List.copyOf(thresholds);
    }
}
