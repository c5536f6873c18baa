package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keyledger.ledger.LedgerChain;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger entry and its hash, against values computed independently (Python's json and hashlib). */
class LedgerEntryTest {

    static final JsonObject DATA = new JsonObject().put("id", "3f6c1a7e-0000-4000-8000-000000000001").put("org", "acme")
            .put("service_account", "ci-bot").put("description", "déploie").put("key_hash", "ab".repeat(32))
            .put("created_at", "2026-11-24T12:00:00.123456Z").put("expires_at", 0).put("created_by", "alice");
    static final JsonObject METADATA = new JsonObject()
            .put("actor", new JsonObject().put("type", "user").put("subject", "alice")).put("request_id", "r-1");

    @Test
    void theEntryCommitsToTheKeyHash_neverCarriesIt_andHashesAsSpecified() {
        byte[] entry = LedgerEntry.of("service-account:acme:ci-bot", 2, "KeyCreated", 1, DATA, METADATA,
                Instant.parse("2026-11-24T12:00:00.123456Z"));
        String text = new String(entry, StandardCharsets.UTF_8);
        assertEquals(
                "{\"data\":{\"created_at\":\"2026-11-24T12:00:00.123456Z\",\"created_by\":\"alice\",\"description\":"
                        + "\"déploie\",\"expires_at\":0,\"id\":\"3f6c1a7e-0000-4000-8000-000000000001\",\"key_hash_sha256\":"
                        + "\"271a413bd339c5709fdceaec41f14f11e9fbfb5042d72d331c65f32b284cd09a\",\"org\":\"acme\",\"service_account\":"
                        + "\"ci-bot\"},\"metadata\":{\"actor\":{\"subject\":\"alice\",\"type\":\"user\"},\"request_id\":\"r-1\"},"
                        + "\"recorded_at\":\"2026-11-24T12:00:00.123456Z\",\"schema_version\":1,\"stream_id\":"
                        + "\"service-account:acme:ci-bot\",\"stream_version\":2,\"type\":\"KeyCreated\"}",
                text);
        assertFalse(text.contains("ab".repeat(32)), "the stored key hash itself is never in the entry");
        assertEquals("908e7fe9677c76782652eb4808b1d4c3d2c869d8cc8ff8e3a7100408509933e7",
                LedgerChain.hash(LedgerChain.GENESIS, entry));
        assertTrue(DATA.containsKey("key_hash"), "the caller's data is not changed");
    }

    @Test
    void anotherKeyHash_isAnotherEntry() {
        Instant at = Instant.parse("2026-11-24T12:00:00.123456Z");
        String original = LedgerChain.hash(LedgerChain.GENESIS,
                LedgerEntry.of("s", 1, "KeyCreated", 1, DATA, METADATA, at));
        String swapped = LedgerChain.hash(LedgerChain.GENESIS,
                LedgerEntry.of("s", 1, "KeyCreated", 1, DATA.copy().put("key_hash", "cd".repeat(32)), METADATA, at));
        assertFalse(original.equals(swapped));
    }

    @Test
    void recordedAt_alwaysHasSixFractionalDigits() {
        byte[] entry = LedgerEntry.of("s", 1, "T", 1, new JsonObject(), new JsonObject(),
                Instant.parse("2026-11-24T12:00:00Z"));
        assertTrue(
                new String(entry, StandardCharsets.UTF_8).contains("\"recorded_at\":\"2026-11-24T12:00:00.000000Z\""));
    }
}
