package io.keyledger.serviceaccount;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAccountDeciderTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00.123456Z");

    static ServiceAccount accountWith(ServiceAccountEvent... events) {
        ServiceAccount state = ServiceAccountDecider.evolve(ServiceAccount.initial(),
                new ServiceAccountCreated("acme", "ci", "", Privilege.ADMIN, NOW.minusSeconds(60), "alice"));
        for (ServiceAccountEvent e : events) {
            state = ServiceAccountDecider.evolve(state, e);
        }
        return state;
    }

    static KeyCreated created(String id, long expiresAt) {
        return new KeyCreated(id, "acme", "ci", "d", "hash-" + id, "p1", NOW.minusSeconds(30), expiresAt, "alice");
    }

    static CreateKey create(long expiresAt) {
        return new CreateKey("acme", "ci", "k-new", "hash-new", "p1", "deploys", expiresAt, NOW, "alice");
    }

    @Test
    void createKey_emitsKeyCreated_withNowAndActorFromTheCommand() {
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(create(0), accountWith(), Facts.cap(100));
        assertEquals(List.of(new KeyCreated("k-new", "acme", "ci", "deploys", "hash-new", "p1", NOW, 0, "alice")),
                events);
    }

    @Test
    void createKey_isRejected_whenAccountMissing() {
        var r = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(create(0), ServiceAccount.initial(), Facts.cap(100)));
        assertEquals(Rejection.Reason.SERVICE_ACCOUNT_NOT_FOUND, r.reason());
    }

    @Test
    void createKey_isRejected_whenExpiryIsNowOrEarlier() {
        long now = NOW.getEpochSecond();
        assertEquals(Rejection.Reason.EXPIRES_AT_IN_PAST, assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(create(now), accountWith(), Facts.cap(100))).reason());
        assertEquals(Rejection.Reason.EXPIRES_AT_IN_PAST, assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(create(now - 1), accountWith(), Facts.cap(100))).reason());
        assertEquals(1, ServiceAccountDecider.decide(create(now + 1), accountWith(), Facts.cap(100)).size());
    }

    @Test
    void createKey_respectsTheActiveKeyCap_countingOnlyUnexpiredUnrevokedKeys() {
        long now = NOW.getEpochSecond();
        ServiceAccount full = accountWith(created("a", 0), created("b", now + 100));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(create(0), full, Facts.cap(2)))
                        .reason());
        ServiceAccount oneExpired = accountWith(created("a", 0), created("b", now - 1));
        assertEquals(1, ServiceAccountDecider.decide(create(0), oneExpired, Facts.cap(2)).size());
        ServiceAccount oneRevoked = accountWith(created("a", 0), created("b", 0),
                new KeyRevoked("b", "acme", "ci", NOW, "bob"));
        assertEquals(1, ServiceAccountDecider.decide(create(0), oneRevoked, Facts.cap(2)).size());
    }

    @Test
    void rotateKey_isRefusedAtTheActiveKeyCap_withTheCreatesRejectionAndMessage() {
        long now = NOW.getEpochSecond();
        RotateKey rotateA = new RotateKey("acme", "ci", "a", "n", "hash-n", "p1", 1, null, NOW, "bob");
        ServiceAccount full = accountWith(created("a", 0), created("b", now + 100));
        Rejection asCreate = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(create(0), full, Facts.cap(2)));
        Rejection asRotation = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(rotateA, full, Facts.cap(2)));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED, asRotation.reason());
        assertEquals(asCreate.getMessage(), asRotation.getMessage());
        assertEquals(2, ServiceAccountDecider.decide(rotateA, full, Facts.cap(3)).size(), "below the cap it rotates");
        ServiceAccount oneExpired = accountWith(created("a", 0), created("b", now - 1));
        assertEquals(2, ServiceAccountDecider.decide(rotateA, oneExpired, Facts.cap(2)).size(),
                "an expired key does not count");
    }

    @Test
    void revokeKey_emitsKeyRevoked_onlyForAnActiveKey() {
        ServiceAccount state = accountWith(created("a", 0), created("old", NOW.getEpochSecond() - 5));
        assertEquals(List.of(new KeyRevoked("a", "acme", "ci", NOW, "bob")),
                ServiceAccountDecider.decide(new RevokeKey("acme", "ci", "a", NOW, "bob"), state, Facts.cap(100)));
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND, assertThrows(Rejection.class, () -> ServiceAccountDecider
                .decide(new RevokeKey("acme", "ci", "old", NOW, "bob"), state, Facts.cap(100))).reason());
        assertEquals(Rejection.Reason.API_KEY_NOT_FOUND, assertThrows(Rejection.class, () -> ServiceAccountDecider
                .decide(new RevokeKey("acme", "ci", "nope", NOW, "bob"), state, Facts.cap(100))).reason());
    }

    @Test
    void evolve_tracksVersionAndKeys() {
        ServiceAccount state = accountWith(created("a", 0), created("b", 0),
                new KeyRevoked("a", "acme", "ci", NOW, "bob"));
        assertTrue(state.exists());
        assertEquals(4, state.version());
        assertEquals(java.util.Set.of("b"), state.unrevokedKeyExpiry().keySet());
    }

    @Test
    void rotateKey_replacesAnActiveKeyOnce_andARotatedKeyCannotBeRotatedAgain() {
        ServiceAccount state = accountWith(created("a", 0));
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(
                new RotateKey("acme", "ci", "a", "b", "hash-b", "p1", 1, null, NOW, "bob"), state, Facts.cap(100));
        assertEquals(new KeyRotated("a", "acme", "ci", "b", NOW.getEpochSecond() + 3600, NOW, "bob"), events.get(1));
        ServiceAccount after = accountWith(created("a", 0), events.get(0), events.get(1));
        assertTrue(after.wasRotated("a"));
        assertEquals(Rejection.Reason.KEY_ALREADY_ROTATED,
                assertThrows(Rejection.class,
                        () -> ServiceAccountDecider.decide(
                                new RotateKey("acme", "ci", "a", "c", "hash-c", "p1", 1, null, NOW, "bob"), after,
                                Facts.cap(100)))
                        .reason());
    }

    @Test
    void deleteAccount_revokesEveryUnrevokedKeyThenDeletes_andFoldsToAMissingAccount() {
        ServiceAccount state = accountWith(created("b", 0), created("a", 0));
        List<ServiceAccountEvent> events = ServiceAccountDecider
                .decide(new DeleteServiceAccount("acme", "ci", NOW, "bob"), state, Facts.cap(100));
        assertEquals(List.of(new KeyRevoked("a", "acme", "ci", NOW, "bob", KeyRevoked.ACCOUNT_DELETED),
                new KeyRevoked("b", "acme", "ci", NOW, "bob", KeyRevoked.ACCOUNT_DELETED),
                new ServiceAccountDeleted("acme", "ci", NOW, "bob")), events);
        ServiceAccount after = state;
        for (ServiceAccountEvent e : events) {
            after = ServiceAccountDecider.evolve(after, e);
        }
        assertFalse(after.exists());
        assertTrue(after.unrevokedKeyExpiry().isEmpty());
    }

    @Test
    void reportLeak_revokesAnActiveKeyAfterTheReport_andChangesNothingOtherwise() {
        ServiceAccount state = accountWith(created("a", 0));
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(
                new ReportLeak("acme", "ci", "a", "github", "https://x", NOW, "scanner"), state, Facts.cap(100));
        assertEquals(List.of(new KeyLeakReported("a", "acme", "ci", "github", "https://x", NOW),
                new KeyRevoked("a", "acme", "ci", NOW, "scanner", KeyRevoked.LEAKED)), events);
        ServiceAccount after = accountWith(created("a", 0), events.get(0), events.get(1));
        assertEquals(List.of(), ServiceAccountDecider.decide(
                new ReportLeak("acme", "ci", "a", "github", "https://x", NOW, "scanner"), after, Facts.cap(100)));
    }

    @Test
    void reportLeak_underADisablePolicy_disablesTheKeyOnce_andUnderRevoke_revokesADisabledOne() {
        Facts disable = new Facts(100, null, OrgKeyPolicy.OnLeak.DISABLE);
        ReportLeak report = new ReportLeak("acme", "ci", "a", "github", "https://x", NOW, "scanner");
        ServiceAccount state = accountWith(created("a", 0));
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(report, state, disable);
        assertEquals(List.of(new KeyLeakReported("a", "acme", "ci", "github", "https://x", NOW),
                new KeyDisabled("a", "acme", "ci", "Reported as leaked by github", NOW, "scanner")), events);
        ServiceAccount disabled = accountWith(created("a", 0), events.get(0), events.get(1));
        assertEquals(List.of(), ServiceAccountDecider.decide(report, disabled, disable), "a repeat changes nothing");
        assertEquals(KeyRevoked.class,
                ServiceAccountDecider.decide(report, disabled, Facts.cap(100)).get(1).getClass());
        String longSource = "s".repeat(300);
        assertEquals(Limits.MAX_DISABLE_REASON_LENGTH, ((KeyDisabled) ServiceAccountDecider
                .decide(new ReportLeak("acme", "ci", "a", longSource, "https://x", NOW, "scanner"), state, disable)
                .get(1)).reason().length());
    }

    @Test
    void underAnOrgPolicy_neverBecomesTheLongestLifetime_andLongerIsRefused() {
        long now = NOW.getEpochSecond();
        Facts policy30 = new Facts(100, 30, OrgKeyPolicy.OnLeak.REVOKE);
        CreateKey never = new CreateKey("acme", "ci", "k", "h", "p1", "d", 0, NOW, "alice");
        assertEquals(now + 30 * 86_400L,
                ((KeyCreated) ServiceAccountDecider.decide(never, accountWith(), policy30).get(0)).expiresAt());
        CreateKey within = new CreateKey("acme", "ci", "k", "h", "p1", "d", now + 86_400, NOW, "alice");
        assertEquals(now + 86_400,
                ((KeyCreated) ServiceAccountDecider.decide(within, accountWith(), policy30).get(0)).expiresAt());
        CreateKey beyond = new CreateKey("acme", "ci", "k", "h", "p1", "d", now + 31 * 86_400L, NOW, "alice");
        Rejection refused = assertThrows(Rejection.class,
                () -> ServiceAccountDecider.decide(beyond, accountWith(), policy30));
        assertEquals("expires_at exceeds the org's maximum key lifetime of 30 days", refused.getMessage());
        // rotating a key that never expires, under the policy: the new key gets the longest allowed
        List<ServiceAccountEvent> rotated = ServiceAccountDecider.decide(
                new RotateKey("acme", "ci", "a", "b", "hash-b", "p1", 1, null, NOW, "bob"),
                accountWith(created("a", 0)), policy30);
        assertEquals(now + 30 * 86_400L, ((KeyCreated) rotated.get(0)).expiresAt());
    }

    /** A state as the create loader gives it: the count of all unrevoked keys, and only the keys listed held. */
    static ServiceAccount counted(int unrevoked, java.util.Map<String, Long> held) {
        ServiceAccount account = accountWith();
        java.util.Map<String, Key> keys = new java.util.HashMap<>();
        held.forEach((id, expiry) -> keys.put(id,
                new Key(id, "", "h-" + id, "p1", NOW, expiry, "alice", null, null, List.of(), null, null, null)));
        return new ServiceAccount(true, account.version(), account.description(), account.privilege(),
                account.createdAt(), account.createdBy(), null, keys, unrevoked);
    }

    @Test
    void createKey_decidesOnTheCountAlone_belowTheCap() {
        assertEquals(1, ServiceAccountDecider.decide(create(0), counted(0, java.util.Map.of()), Facts.cap(3)).size());
        assertEquals(1, ServiceAccountDecider.decide(create(0), counted(2, java.util.Map.of()), Facts.cap(3)).size());
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class,
                        () -> ServiceAccountDecider.decide(create(0), counted(3, java.util.Map.of()), Facts.cap(3)))
                        .reason());
    }

    @Test
    void createKey_atTheCap_decidesOnTheSoonestLapsingKeys_asTheFullFoldWould() {
        long now = NOW.getEpochSecond();
        // 5 unrevoked, cap 3: the 3 soonest-lapsing keys are held; there is room only when all 3 have lapsed
        ServiceAccount threeLapsed = counted(5, java.util.Map.of("a", now - 30, "b", now - 20, "c", now - 10));
        assertEquals(1, ServiceAccountDecider.decide(create(0), threeLapsed, Facts.cap(3)).size());
        ServiceAccount twoLapsed = counted(5, java.util.Map.of("a", now - 30, "b", now - 20, "c", now + 10));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(create(0), twoLapsed, Facts.cap(3)))
                        .reason());
        // the same accounts folded in full give the same answers
        ServiceAccount fullRoom = accountWith(created("a", now - 30), created("b", now - 20), created("c", now - 10),
                created("d", 0), created("e", now + 99));
        assertEquals(1, ServiceAccountDecider.decide(create(0), fullRoom, Facts.cap(3)).size());
        ServiceAccount fullNoRoom = accountWith(created("a", now - 30), created("b", now - 20), created("c", now + 10),
                created("d", 0), created("e", now + 99));
        assertEquals(Rejection.Reason.ACTIVE_KEY_LIMIT_REACHED,
                assertThrows(Rejection.class, () -> ServiceAccountDecider.decide(create(0), fullNoRoom, Facts.cap(3)))
                        .reason());
    }

    @Test
    void evolve_countsUnrevokedKeys_throughCreateRevokeRotateExpiryAndDelete() {
        long now = NOW.getEpochSecond();
        ServiceAccount state = accountWith(created("a", 0), created("b", now + 60));
        assertEquals(2, state.unrevokedKeyCount());
        state = ServiceAccountDecider.evolve(state, new KeyRevoked("a", "acme", "ci", NOW, "bob"));
        assertEquals(1, state.unrevokedKeyCount());
        // a rotation adds the new key; the old one counts until it is revoked, and stops being active after its grace
        state = ServiceAccountDecider.evolve(state, created("c", 0));
        state = ServiceAccountDecider.evolve(state, new KeyRotated("b", "acme", "ci", "c", now + 30, NOW, "bob"));
        assertEquals(2, state.unrevokedKeyCount());
        assertEquals(2, state.activeKeyCount(NOW));
        assertEquals(1, state.activeKeyCount(NOW.plusSeconds(31)));
        // an expiry is recorded, not a revocation: the key is still counted, and no longer active
        state = ServiceAccountDecider.evolve(state, new KeyExpired("b", "acme", "ci", now + 30));
        assertEquals(2, state.unrevokedKeyCount());
        // revoking a key the state does not hold (already revoked) changes no count
        state = ServiceAccountDecider.evolve(state, new KeyRevoked("a", "acme", "ci", NOW, "bob"));
        assertEquals(2, state.unrevokedKeyCount());
        for (ServiceAccountEvent e : ServiceAccountDecider.decide(new DeleteServiceAccount("acme", "ci", NOW, "bob"),
                state, Facts.cap(100))) {
            state = ServiceAccountDecider.evolve(state, e);
        }
        assertEquals(0, state.unrevokedKeyCount());
    }

    @Test
    void deleteAccount_refusesAStateThatDoesNotHoldEveryKey() {
        assertThrows(IllegalStateException.class,
                () -> ServiceAccountDecider.decide(new DeleteServiceAccount("acme", "ci", NOW, "bob"),
                        counted(2, java.util.Map.of("a", 0L)), Facts.cap(100)));
    }

    static RehashKey rehash(String keyId, String from, String to) {
        return new RehashKey("acme", "ci", keyId, from, to, "rehashed-" + keyId, NOW, "pepper-rotation");
    }

    @Test
    void rehashKey_recordsTheNewHashAndPepper_andEvolveMovesTheKeyToIt() {
        ServiceAccount state = accountWith(created("a", 0));
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(rehash("a", "p1", "p2"), state, Facts.cap(100));
        assertEquals(List.of(new KeyRehashed("a", "acme", "ci", "p1", "p2", "rehashed-a", NOW)), events);
        ServiceAccount after = ServiceAccountDecider.evolve(state, events.get(0));
        Key key = after.unrevokedKey("a");
        assertEquals("rehashed-a", key.keyHash());
        assertEquals("p2", key.pepperId());
        assertEquals(state.unrevokedKey("a").expiresAt(), key.expiresAt(), "nothing else about the key changes");
        assertEquals(state.unrevokedKeyCount(), after.unrevokedKeyCount());
        assertEquals(state.version() + 1, after.version());
    }

    @Test
    void rehashKey_changesNothing_whenTheKeyWasRevokedFirst_orIsExpired_orAlreadyRehashed() {
        ServiceAccount revoked = accountWith(created("a", 0), new KeyRevoked("a", "acme", "ci", NOW, "bob")).live();
        assertEquals(List.of(), ServiceAccountDecider.decide(rehash("a", "p1", "p2"), revoked, Facts.cap(100)),
                "revocation wins");
        ServiceAccount expired = accountWith(created("a", NOW.getEpochSecond() - 1));
        assertEquals(List.of(), ServiceAccountDecider.decide(rehash("a", "p1", "p2"), expired, Facts.cap(100)));
        ServiceAccount done = accountWith(created("a", 0), new KeyRehashed("a", "acme", "ci", "p1", "p2", "h2", NOW));
        assertEquals(List.of(), ServiceAccountDecider.decide(rehash("a", "p1", "p2"), done, Facts.cap(100)),
                "a second replica's try");
        assertEquals(List.of(), ServiceAccountDecider.decide(rehash("missing", "p1", "p2"), done, Facts.cap(100)));
    }

    @Test
    void keyCreated_foldsItsPepperIntoTheKey() {
        assertEquals("p1", accountWith(created("a", 0)).unrevokedKey("a").pepperId());
        List<ServiceAccountEvent> events = ServiceAccountDecider.decide(
                new RotateKey("acme", "ci", "a", "b", "hash-b", "p2", 1, null, NOW, "bob"),
                accountWith(created("a", 0)), Facts.cap(100));
        assertEquals("p2", ((KeyCreated) events.get(0)).pepperId(),
                "a rotation's new key is under the pepper it was minted with");
    }
}
