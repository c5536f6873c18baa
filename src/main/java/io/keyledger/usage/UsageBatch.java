package io.keyledger.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One poll batch of usage, coalesced: the latest use per key (so the database sees one row
 * per key per batch, however busy the key), how many records each key had, and the records
 * that were not usage at all. Pure: no Kafka, no database.
 */
public final class UsageBatch<R> {

    /** A record that could not be read, with the reason. */
    public record Rejected<R>(R record, String reason) {
    }

    private final Map<String, Instant> latestUse = new HashMap<>();
    private final Map<String, Integer> recordsPerKey = new HashMap<>();
    private final List<Rejected<R>> rejected = new ArrayList<>();

    public void add(R record, byte[] value, Instant now) {
        UsageRecord.Parsed parsed = UsageRecord.parse(value, now);
        if (parsed.record().isEmpty()) {
            rejected.add(new Rejected<>(record, parsed.rejection()));
            return;
        }
        UsageRecord use = parsed.record().get();
        latestUse.merge(use.keyId(), use.usedAt(), (a, b) -> a.isAfter(b) ? a : b);
        recordsPerKey.merge(use.keyId(), 1, Integer::sum);
    }

    public Map<String, Instant> latestUse() {
        return latestUse;
    }

    public Map<String, Integer> recordsPerKey() {
        return recordsPerKey;
    }

    public List<Rejected<R>> rejected() {
        return rejected;
    }
}
