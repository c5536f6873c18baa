package io.keyledger.usage;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageBatchTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void batch_coalescesToTheLatestUsePerKey_andCountsRecords() {
        UsageBatch<Integer> batch = new UsageBatch<>();
        batch.add(1, json("{\"key_id\":\"a\",\"used_at\":1795521500.25}"), NOW);
        batch.add(2, json("{\"key_id\":\"a\",\"used_at\":1795521400}"), NOW);
        batch.add(3, json("{\"key_id\":\"b\",\"used_at\":1795521000,\"extra\":true}"), NOW);
        batch.add(4, json("{\"key_id\":\"a\",\"used_at\":1795521500.25}"), NOW);
        assertEquals(Map.of("a", Instant.parse("2026-11-24T11:58:20.250Z"), "b", Instant.parse("2026-11-24T11:50:00Z")),
                batch.latestUse());
        assertEquals(Map.of("a", 3, "b", 1), batch.recordsPerKey());
        assertTrue(batch.rejected().isEmpty());
    }

    @Test
    void malformedRecords_areRejectedWithAReason() {
        UsageBatch<String> batch = new UsageBatch<>();
        batch.add("empty", new byte[0], NOW);
        batch.add("null", null, NOW);
        batch.add("bad-json", json("{nope"), NOW);
        batch.add("array", json("[1]"), NOW);
        batch.add("no-key", json("{\"used_at\":1}"), NOW);
        batch.add("blank-key", json("{\"key_id\":\" \",\"used_at\":1}"), NOW);
        batch.add("string-time", json("{\"key_id\":\"a\",\"used_at\":\"noon\"}"), NOW);
        batch.add("negative", json("{\"key_id\":\"a\",\"used_at\":-1}"), NOW);
        batch.add("future", json("{\"key_id\":\"a\",\"used_at\":" + (NOW.getEpochSecond() + 3600) + "}"), NOW);
        assertEquals(List.of("empty", "null", "bad-json", "array", "no-key", "blank-key", "string-time", "negative",
                "future"), batch.rejected().stream().map(UsageBatch.Rejected::record).toList());
        assertEquals("malformed JSON", batch.rejected().get(2).reason());
        assertEquals("used_at is in the future", batch.rejected().get(8).reason());
        assertTrue(batch.latestUse().isEmpty());
    }

    @Test
    void smallClockSkew_isAccepted() {
        UsageBatch<Integer> batch = new UsageBatch<>();
        batch.add(1, json("{\"key_id\":\"a\",\"used_at\":" + (NOW.getEpochSecond() + 60) + "}"), NOW);
        assertEquals(1, batch.latestUse().size());
    }
}
