package io.keyledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A known vector for auditors re-implementing the check: the expected canonical bytes and hash were
 * computed outside Java, with Python's {@code json.dumps(event, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False)} (the same as RFC 8785 for strings and integers) and {@code hashlib.sha256}.
 */
class LedgerHashTest {

    @Test
    void canonicalBytesAndHash_matchAnIndependentImplementation() {
        JsonObject data = new JsonObject().put("id", "3f6c1a7e-0000-4000-8000-000000000001").put("org", "acme")
                .put("service_account", "ci-bot").put("description", "déploie").put("key_hash", "ab".repeat(32))
                .put("created_at", "2026-11-24T12:00:00.123456Z").put("expires_at", 0).put("created_by", "alice");
        JsonObject metadata = new JsonObject().put("actor", new JsonObject().put("type", "user").put("subject", "alice"))
                .put("request_id", "r-1");
        byte[] canonical = LedgerHash.canonical("service-account:acme:ci-bot", 2, "KeyCreated", 1, data, metadata,
                Instant.parse("2026-11-24T12:00:00.123456Z"));
        assertEquals("{\"data\":{\"created_at\":\"2026-11-24T12:00:00.123456Z\",\"created_by\":\"alice\",\"description\":"
                + "\"déploie\",\"expires_at\":0,\"id\":\"3f6c1a7e-0000-4000-8000-000000000001\",\"key_hash\":\""
                + "ab".repeat(32) + "\",\"org\":\"acme\",\"service_account\":\"ci-bot\"},\"metadata\":{\"actor\":"
                + "{\"subject\":\"alice\",\"type\":\"user\"},\"request_id\":\"r-1\"},\"recorded_at\":"
                + "\"2026-11-24T12:00:00.123456Z\",\"schema_version\":1,\"stream_id\":\"service-account:acme:ci-bot\","
                + "\"stream_version\":2,\"type\":\"KeyCreated\"}", new String(canonical, StandardCharsets.UTF_8));
        assertEquals("27c6471e3eedfc629bdaf43a9dd1772777d2dbe88e2f36061df444dc416e1ddb",
                LedgerHash.hash(LedgerHash.GENESIS, canonical));
    }

    @Test
    void recordedAt_alwaysHasSixFractionalDigits() {
        byte[] canonical = LedgerHash.canonical("s", 1, "T", 1, new JsonObject(), new JsonObject(),
                Instant.parse("2026-11-24T12:00:00Z"));
        assertEquals(true, new String(canonical, StandardCharsets.UTF_8).contains("\"recorded_at\":\"2026-11-24T12:00:00.000000Z\""));
    }
}
