package io.keyledger.serviceaccount;

import static io.keyledger.serviceaccount.ServiceAccountDeciderTest.NOW;
import static io.keyledger.serviceaccount.ServiceAccountDeciderTest.accountWith;
import static io.keyledger.serviceaccount.ServiceAccountDeciderTest.create;
import static io.keyledger.serviceaccount.ServiceAccountDeciderTest.created;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Disable and enable: a reversible quarantine of an active key, in the domain alone. */
class QuarantineDeciderTest {

    static final Facts CAP = Facts.cap(100);

    static DisableKey disable(String keyId) {
        return new DisableKey("acme", "ci", keyId, "found in a gist", NOW, "bob");
    }

    static EnableKey enable(String keyId) {
        return new EnableKey("acme", "ci", keyId, NOW, "carol");
    }

    @Test
    void disable_thenEnable_foldsTheQuarantineInAndOut_withTheActorsAndTheReason() {
        ServiceAccount state = accountWith(created("a", 0));
        List<ServiceAccountEvent> disabled = ServiceAccountDecider.decide(disable("a"), state, CAP);
        assertEquals(List.of(new KeyDisabled("a", "acme", "ci", "found in a gist", NOW, "bob")), disabled);
        ServiceAccount after = ServiceAccountDecider.evolve(state, disabled.get(0));
        Key key = after.unrevokedKey("a");
        assertEquals(new Key.Disabled(NOW, "found in a gist", "bob"), key.disabled());
        assertTrue(after.hasActiveKey("a", NOW), "a disabled key is still active");

        List<ServiceAccountEvent> enabled = ServiceAccountDecider.decide(enable("a"), after, CAP);
        assertEquals(List.of(new KeyEnabled("a", "acme", "ci", NOW, "carol")), enabled);
        ServiceAccount back = ServiceAccountDecider.evolve(after, enabled.get(0));
        assertNull(back.unrevokedKey("a").disabled());
        assertEquals(state.unrevokedKey("a"), back.unrevokedKey("a"), "enabled, the key is as it was before");
    }

    @Test
    void disablingADisabledKey_orEnablingAnEnabledOne_isAConflict() {
        ServiceAccount state = accountWith(created("a", 0));
        Rejection notDisabled = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(enable("a"), state, CAP));
        assertEquals(Rejection.Reason.KEY_NOT_DISABLED, notDisabled.reason());
        assertEquals("API key is not disabled", notDisabled.getMessage());
        ServiceAccount disabled = ServiceAccountDecider.evolve(state,
                ServiceAccountDecider.decide(disable("a"), state, CAP).get(0));
        Rejection again = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(disable("a"), disabled, CAP));
        assertEquals(Rejection.Reason.KEY_ALREADY_DISABLED, again.reason());
        assertEquals("API key is already disabled", again.getMessage());
    }

    @Test
    void onlyAnActiveKeyCanBeDisabledOrEnabled() {
        ServiceAccount state = accountWith(created("a", NOW.getEpochSecond() - 1));
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(disable("a"), state, CAP)).reason());
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(disable("nope"), state, CAP))
                        .reason());
    }

    @Test
    void aDisabledKey_stillCountsAgainstTheCap_andCanStillBeRevoked() {
        ServiceAccount state = accountWith(created("a", 0));
        ServiceAccount disabled = ServiceAccountDecider.evolve(state,
                ServiceAccountDecider.decide(disable("a"), state, CAP).get(0));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(create(0), disabled, Facts.cap(1)))
                        .reason());
        List<ServiceAccountEvent> revoked = ServiceAccountDecider.decide(new RevokeKey("acme", "ci", "a", NOW, "bob"),
                disabled, CAP);
        assertEquals(1, revoked.size());
        assertFalse(ServiceAccountDecider.evolve(disabled, revoked.get(0)).hasActiveKey("a", NOW));
    }
}
