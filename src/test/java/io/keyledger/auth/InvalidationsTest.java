package io.keyledger.auth;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.projection.VerifiedKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stamp table is bounded; a stamp pushed out early retires every answer read before it. */
class InvalidationsTest {

    static VerifiedKey key(String id, String account) {
        return new VerifiedKey(id, "acme", account, "member", 0, false, false, "h", "p1", null, null);
    }

    @Test
    void aRevokedKeysOldAnswer_isNeverCurrent_evenAfterItsStampIsPushedOut() {
        Invalidations invalidations = new Invalidations(2, 2 * 1024, Duration.ofMinutes(1),
                com.github.benmanes.caffeine.cache.Ticker.systemTicker());
        long readBefore = invalidations.readStamp();
        invalidations.invalidateKey("revoked");
        assertFalse(invalidations.isCurrent(key("revoked", "a"), readBefore));
        for (int i = 0; i < 1000; i++) {
            invalidations.invalidateAccount("acme", "flood-" + i); // fills the table far past its bound
        }
        assertTrue(invalidations.size() <= 2, "bounded: " + invalidations.size());
        assertFalse(invalidations.isCurrent(key("revoked", "a"), readBefore), "still refused after the flood");
        long readAfter = invalidations.readStamp();
        assertTrue(invalidations.isCurrent(key("other", "b"), readAfter), "a read after everything is current");
    }
}
