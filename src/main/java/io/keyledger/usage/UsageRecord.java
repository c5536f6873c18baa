package io.keyledger.usage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One record of the {@code authentication-usage} topic: {@code {"key_id": "...", "used_at": <unix seconds>}}.
 * Other fields are ignored.
 */
public record UsageRecord(String keyId, Instant usedAt) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A clock a little ahead of ours is fine; one far ahead would pin last_used_at in the future forever. */
    static final long MAX_CLOCK_SKEW_SECONDS = 300;

    /** Either a usage record or the reason it is not one. */
    public record Parsed(Optional<UsageRecord> record, String rejection) {
        static Parsed ok(UsageRecord record) {
            return new Parsed(Optional.of(record), null);
        }

        static Parsed rejected(String reason) {
            return new Parsed(Optional.empty(), reason);
        }
    }

    public static Parsed parse(byte[] value, Instant now) {
        if (value == null || value.length == 0) {
            return Parsed.rejected("empty value");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            return Parsed.rejected("malformed JSON");
        } catch (IOException e) {
            return Parsed.rejected("unreadable value");
        }
        if (node == null || !node.isObject()) {
            return Parsed.rejected("value is not a JSON object");
        }
        JsonNode keyId = node.get("key_id");
        if (keyId == null || !keyId.isTextual() || keyId.textValue().isBlank() || keyId.textValue().length() > 128) {
            return Parsed.rejected("key_id must be a non-empty string");
        }
        JsonNode usedAt = node.get("used_at");
        if (usedAt == null || !usedAt.isNumber() || !Double.isFinite(usedAt.doubleValue())
                || usedAt.doubleValue() <= 0) {
            return Parsed.rejected("used_at must be a positive number of unix seconds");
        }
        double seconds = usedAt.doubleValue();
        if (seconds > now.getEpochSecond() + MAX_CLOCK_SKEW_SECONDS) {
            return Parsed.rejected("used_at is in the future");
        }
        long whole = (long) Math.floor(seconds);
        long micros = Math.round((seconds - whole) * 1_000_000d);
        return Parsed.ok(new UsageRecord(keyId.textValue(), Instant.ofEpochSecond(whole, micros * 1_000L)));
    }
}
