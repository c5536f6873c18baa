package io.keyledger.auth;

import io.quarkus.security.AuthenticationFailedException;
import java.util.Map;

/**
 * Too many failed API-key authentications from one client address: answered as a 429 with
 * Retry-After. (Quarkus's authentication failure is final, so the wait travels as an attribute.)
 */
public final class TooManyFailedAttempts {

    static final String RETRY_AFTER_ATTRIBUTE = "keyledger.retry_after_seconds";

    private TooManyFailedAttempts() {
    }

    static AuthenticationFailedException failure(long retryAfterSeconds) {
        return new AuthenticationFailedException("too many failed API-key authentications",
                Map.of(RETRY_AFTER_ATTRIBUTE, retryAfterSeconds));
    }

    /** Seconds to wait when the failure is a throttle, else 0. */
    public static long retryAfterSeconds(AuthenticationFailedException failure) {
        Object wait = failure.getAttributes() == null ? null : failure.getAttributes().get(RETRY_AFTER_ATTRIBUTE);
        return wait instanceof Long seconds ? seconds : 0;
    }
}
