package io.keyledger.keys;

import static org.junit.jupiter.api.Assertions.*;

import io.keyledger.accounts.Privilege;
import io.keyledger.accounts.ServiceAccountCreated;
import io.keyledger.events.Rejection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00.123456Z");

    static Keyring accountWith(KeyEvent... events) {
        Keyring state = Keyring.evolve(Keyring.missing(),
                new ServiceAccountCreated("acme", "ci", "", Privilege.ADMIN, NOW.minusSeconds(60), "alice"));
        for (KeyEvent e : events) {
            state = Keyring.evolve(state, e);
        }
        return state;
    }

    static KeyCreated created(String id, long expiresAt) {
        return new KeyCreated(id, "acme", "ci", "d", "hash-" + id, NOW.minusSeconds(30), expiresAt, "alice");
    }

    static CreateKey create(long expiresAt) {
        return new CreateKey("acme", "ci", "k-new", "hash-new", "deploys", expiresAt, NOW, "alice");
    }

    @Test
    void createKey_emitsKeyCreated_withNowAndActorFromTheCommand() {
        List<KeyEvent> events = KeyDecider.decide(create(0), accountWith(), 100);
        assertEquals(List.of(new KeyCreated("k-new", "acme", "ci", "deploys", "hash-new", NOW, 0, "alice")), events);
    }

    @Test
    void createKey_isRejected_whenAccountMissing() {
        var r = assertThrows(Rejection.class, () -> KeyDecider.decide(create(0), Keyring.missing(), 100));
        assertEquals(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, r.reason());
    }

    @Test
    void createKey_isRejected_whenExpiryIsNowOrEarlier() {
        long now = NOW.getEpochSecond();
        assertEquals(Rejection.Reason.EXPIRES_AT_IN_PAST,
                assertThrows(Rejection.class, () -> KeyDecider.decide(create(now), accountWith(), 100)).reason());
        assertEquals(Rejection.Reason.EXPIRES_AT_IN_PAST,
                assertThrows(Rejection.class, () -> KeyDecider.decide(create(now - 1), accountWith(), 100)).reason());
        assertEquals(1, KeyDecider.decide(create(now + 1), accountWith(), 100).size());
    }

    @Test
    void createKey_respectsTheActiveKeyCap_countingOnlyUnexpiredUnrevokedKeys() {
        long now = NOW.getEpochSecond();
        Keyring full = accountWith(created("a", 0), created("b", now + 100));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class, () -> KeyDecider.decide(create(0), full, 2)).reason());
        Keyring oneExpired = accountWith(created("a", 0), created("b", now - 1));
        assertEquals(1, KeyDecider.decide(create(0), oneExpired, 2).size());
        Keyring oneRevoked = accountWith(created("a", 0), created("b", 0), new KeyRevoked("b", "acme", "ci", NOW, "bob"));
        assertEquals(1, KeyDecider.decide(create(0), oneRevoked, 2).size());
    }

    @Test
    void revokeKey_emitsKeyRevoked_onlyForAnActiveKey() {
        Keyring state = accountWith(created("a", 0), created("old", NOW.getEpochSecond() - 5));
        assertEquals(List.of(new KeyRevoked("a", "acme", "ci", NOW, "bob")),
                KeyDecider.decide(new RevokeKey("acme", "ci", "a", NOW, "bob"), state));
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND, assertThrows(Rejection.class,
                () -> KeyDecider.decide(new RevokeKey("acme", "ci", "old", NOW, "bob"), state)).reason());
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND, assertThrows(Rejection.class,
                () -> KeyDecider.decide(new RevokeKey("acme", "ci", "nope", NOW, "bob"), state)).reason());
    }

    @Test
    void evolve_tracksVersionAndKeys() {
        Keyring state = accountWith(created("a", 0), created("b", 0), new KeyRevoked("a", "acme", "ci", NOW, "bob"));
        assertTrue(state.accountExists());
        assertEquals(4, state.version());
        assertEquals(java.util.Set.of("b"), state.unrevokedKeyExpiry().keySet());
    }
}
