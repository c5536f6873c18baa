package io.keyledger.serviceaccount;

import java.time.Instant;

/** A secret scanner reported an active key as leaked (found at {@code url} by {@code source}); a KeyRevoked follows. */
public record KeyLeakReported(String keyId, String org, String serviceAccount, String source, String url,
        Instant reportedAt) implements KeyEvent {

    @Override
    public Instant occurredAt() {
        return reportedAt;
    }
}
