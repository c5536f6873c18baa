package io.keyledger.serviceaccount;

import java.time.Instant;

/** Command: a scanner found this key in public; an active key is revoked, or disabled as the org's policy says. */
public record ReportLeak(String org, String serviceAccount, String keyId, String source, String url, Instant now,
        String actor) implements ServiceAccountCommand {
}
