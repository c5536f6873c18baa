package io.keyledger.auth;

import io.keyledger.projection.VerifiedKey;
import io.keyledger.serviceaccount.ServiceAccount;
import java.time.Instant;
import java.util.Optional;

/** The outcome of checking a presented key. {@code key} is present only when the code is VALID. */
public record Verification(Code code, Optional<VerifiedKey> key) {

    public enum Code {
        VALID, NOT_FOUND, EXPIRED, REVOKED, INVALID_FORMAT, DISABLED
    }

    public boolean valid() {
        return code == Code.VALID;
    }

    static Verification of(Code code) {
        return new Verification(code, Optional.empty());
    }

    /** Pure decision over what was found: revoked beats disabled beats expired beats valid. */
    static Verification decide(Optional<VerifiedKey> found, Instant now) {
        if (found.isEmpty()) {
            return of(Code.NOT_FOUND);
        }
        VerifiedKey key = found.get();
        if (key.revoked()) {
            return of(Code.REVOKED);
        }
        if (key.disabled()) {
            return of(Code.DISABLED);
        }
        if (!ServiceAccount.isActive(key.expiresAt(), now.getEpochSecond())) {
            return of(Code.EXPIRED);
        }
        return new Verification(Code.VALID, found);
    }
}
