package io.keyledger.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keyledger.relay.PublishedEvents;
import io.keyledger.serviceaccount.DomainEvent;
import io.keyledger.serviceaccount.KeyCreated;
import io.keyledger.serviceaccount.KeyDisabled;
import io.keyledger.serviceaccount.KeyEnabled;
import io.keyledger.serviceaccount.KeyExpired;
import io.keyledger.serviceaccount.KeyExpiringSoon;
import io.keyledger.serviceaccount.KeyLeakReported;
import io.keyledger.serviceaccount.KeyRehashed;
import io.keyledger.serviceaccount.KeyRevoked;
import io.keyledger.serviceaccount.KeyRotated;
import io.keyledger.serviceaccount.LedgerCheckpoint;
import io.keyledger.serviceaccount.OrgBootstrapped;
import io.keyledger.serviceaccount.OrgKeyPolicy;
import io.keyledger.serviceaccount.OrgKeyPolicyChanged;
import io.keyledger.serviceaccount.Peppers;
import io.keyledger.serviceaccount.Privilege;
import io.keyledger.serviceaccount.ProjectionsRebuilt;
import io.keyledger.serviceaccount.ServiceAccountCreated;
import io.keyledger.serviceaccount.ServiceAccountDeleted;
import io.keyledger.serviceaccount.ServiceAccountUpdated;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Approval tests: the stored JSON of each event type and version is fixed in
 * src/test/resources/approved-events. A change here breaks stored history; make it additive
 * or add a new schema version with an upcaster instead.
 */
class EventCodecApprovalTest {

    static final Instant AT = Instant.parse("2026-11-24T12:00:00.123456Z");

    static Stream<DomainEvent> events() {
        return Stream.of(new ServiceAccountCreated("acme", "ci-bot", "CI", Privilege.MEMBER, AT, "alice"),
                new ServiceAccountUpdated("acme", "ci-bot", null, Privilege.ADMIN, AT, "alice"),
                new ServiceAccountDeleted("acme", "ci-bot", AT, "alice"),
                new KeyCreated("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", "deploys",
                        "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", "p2", AT, 1893456000L,
                        "alice"),
                new KeyRevoked("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", AT.plusSeconds(60), "bob"),
                new KeyLeakReported("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", "github",
                        "https://github.com/acme/app/blob/main/.env", AT),
                new OrgKeyPolicyChanged("acme", 90, OrgKeyPolicy.OnLeak.DISABLE, AT, "alice"),
                new KeyExpiringSoon("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", 1893456000L, "30d"),
                new KeyExpired("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", 1893456000L),
                new LedgerCheckpoint(1234, "5678", 42, "cd".repeat(32), "c2lnbmF0dXJl", AT,
                        "x1hjrDYrKClFx0bU8pM5F2Pa0VqYcqmYkhyQmPXn2Kk"),
                new KeyRotated("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot",
                        "3f6c1a7e-0000-4000-8000-000000000002", 1795608000L, AT, "bob"),
                new ProjectionsRebuilt(1_000_000L, 50, 41_250L, AT, "oncall-operator"),
                new OrgBootstrapped("acme", "first-admin", "3f6c1a7e-0000-4000-8000-000000000003", "req-42", AT,
                        "bootstrap"),
                new KeyRehashed("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", "p1", "p2",
                        "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0", AT),
                new KeyDisabled("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", "found in a public gist", AT,
                        "bob"),
                new KeyEnabled("3f6c1a7e-0000-4000-8000-000000000001", "acme", "ci-bot", AT.plusSeconds(60), "bob"));
    }

    private static JsonObject approved(String file) throws IOException {
        try (InputStream in = EventCodecApprovalTest.class.getResourceAsStream("/approved-events/" + file)) {
            if (in == null) {
                throw new AssertionError("missing approved file " + file);
            }
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @MethodSource("events")
    void storedJson_matchesTheApprovedFile_andDecodesBackToTheSameEvent(DomainEvent event) throws IOException {
        EventCodec.Encoded encoded = EventCodec.encode(event);
        String file = encoded.type() + ".v" + encoded.schemaVersion() + ".json";
        assertEquals(approved(file), encoded.data(), file);
        assertEquals(event, EventCodec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
    }

    @ParameterizedTest
    @MethodSource("events")
    void publishedJson_matchesTheApprovedFile_andNeverCarriesTheHash(DomainEvent event) throws IOException {
        EventCodec.Encoded encoded = EventCodec.encode(event);
        JsonObject published = PublishedEvents.value(event);
        assertEquals(approved(encoded.type() + ".v" + encoded.schemaVersion() + ".published.json"), published);
        assertEquals(false, published.containsKey("key_hash"));
    }

    /** One field list per event: the published form is the stored form without the key hash, field for field. */
    @ParameterizedTest
    @MethodSource("events")
    void publishedAndStoredForms_haveTheSameFields_exceptTheHash(DomainEvent event) {
        java.util.Set<String> stored = new java.util.TreeSet<>(EventCodec.encode(event).data().fieldNames());
        stored.remove("key_hash");
        assertEquals(stored, new java.util.TreeSet<>(PublishedEvents.value(event).fieldNames()));
    }

    /** A checkpoint stored before checkpoints named their key reads as v3 with no key id (verified against every key). */
    @org.junit.jupiter.api.Test
    void storedLedgerCheckpointV2_readsAsV3WithoutAKeyId() throws IOException {
        LedgerCheckpoint read = (LedgerCheckpoint) EventCodec.decode(EventCodec.LEDGER_CHECKPOINT, 2,
                approved("LedgerCheckpoint.v2.json"));
        assertEquals(null, read.keyId());
        assertEquals(1234, read.position());
    }

    /** A policy stored before on_leak existed reads as on_leak revoke: what a leak report did then. */
    @org.junit.jupiter.api.Test
    void storedOrgKeyPolicyChanged_withoutOnLeak_readsAsRevoke() {
        JsonObject before = new JsonObject(
                "{\"org\":\"acme\",\"max_lifetime_days\":90,\"changed_at\":\"2026-11-24T12:00:00.123456Z\",\"changed_by\":\"alice\"}");
        OrgKeyPolicyChanged read = (OrgKeyPolicyChanged) EventCodec.decode(EventCodec.ORG_KEY_POLICY_CHANGED, 1,
                before);
        assertEquals(OrgKeyPolicy.OnLeak.REVOKE, read.onLeak());
        assertEquals(90, read.maxLifetimeDays());
    }

    /** A key stored before peppers had ids reads as v2 hashed under the single pepper of its day, p0; its hash unchanged. */
    @org.junit.jupiter.api.Test
    void storedKeyCreatedV1_readsAsV2UnderTheLegacyPepper() throws IOException {
        KeyCreated read = (KeyCreated) EventCodec.decode(EventCodec.KEY_CREATED, 1, approved("KeyCreated.v1.json"));
        assertEquals(Peppers.LEGACY_ID, read.pepperId());
        assertEquals(approved("KeyCreated.v1.json").getString("key_hash"), read.keyHash());
        assertEquals(approved("KeyCreated.v2.json").put("pepper_id", Peppers.LEGACY_ID),
                EventCodec.encode(read).data());
    }

    /** A re-hash publishes the pepper ids and never a hash: its published form carries no 64-hex value at all. */
    @org.junit.jupiter.api.Test
    void publishedKeyRehashed_carriesThePepperIdsAndNoHash() {
        KeyRehashed event = new KeyRehashed("k", "acme", "ci-bot", "p1", "p2", "ab".repeat(32), AT);
        JsonObject published = PublishedEvents.value(event);
        assertEquals("p1", published.getString("from_pepper_id"));
        assertEquals("p2", published.getString("to_pepper_id"));
        assertEquals(false, published.encode().contains("ab".repeat(32)), published::encode);
        assertEquals(false, event.toString().contains("ab".repeat(32)), "nor in a log line");
    }

    /** Stored history never changes: the approved v1 JSON of a revocation still reads, as v2 with reason "revoked". */
    @org.junit.jupiter.api.Test
    void storedKeyRevokedV1_readsAsV2WithReasonRevoked() throws IOException {
        KeyRevoked read = (KeyRevoked) EventCodec.decode(EventCodec.KEY_REVOKED, 1, approved("KeyRevoked.v1.json"));
        assertEquals(KeyRevoked.REVOKED, read.reason());
        assertEquals(approved("KeyRevoked.v2.json"), EventCodec.encode(read).data());
    }
}
