package io.keyledger.store;

import io.keyledger.ledger.LedgerChain;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An event's ledger entry: the bytes its hash covers and the relay publishes as {@code ce_ledgerentry}.
 * RFC 8785 (JCS) UTF-8 JSON of {@code {stream_id, stream_version, type, schema_version, data, metadata,
 * recorded_at}}, {@code recorded_at} in RFC 3339 with six fractional digits. In {@code data}, a stored
 * {@code key_hash} is replaced by {@code key_hash_sha256}, the hex SHA-256 of its UTF-8: the entry
 * commits to the stored key hash (swap it in the database and the chain breaks), yet it can be
 * published, because the commitment cannot be turned back into the hash, let alone the key.
 */
public final class LedgerEntry {

    static final DateTimeFormatter RFC3339_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final String KEY_HASH = "key_hash";
    static final String KEY_HASH_COMMITMENT = "key_hash_sha256";

    private LedgerEntry() {
    }

    public static byte[] of(String streamId, int streamVersion, String type, int schemaVersion, JsonObject data,
            JsonObject metadata, Instant recordedAt) {
        JsonObject entry = new JsonObject().put("stream_id", streamId).put("stream_version", streamVersion)
                .put("type", type).put("schema_version", schemaVersion).put("data", committed(data))
                .put("metadata", metadata)
                .put("recorded_at", RFC3339_MICROS.format(recordedAt.truncatedTo(ChronoUnit.MICROS)));
        return LedgerChain.canonicalize(entry.encode());
    }

    public static byte[] of(StoredEvent event) {
        return of(event.streamId(), event.streamVersion(), event.type(), event.schemaVersion(), event.data(),
                event.metadata(), event.recordedAt());
    }

    private static JsonObject committed(JsonObject data) {
        if (data == null || !data.containsKey(KEY_HASH)) {
            return data;
        }
        JsonObject copy = data.copy();
        Object keyHash = copy.remove(KEY_HASH);
        copy.put(KEY_HASH_COMMITMENT, keyHash == null ? null : LedgerChain.sha256Hex(keyHash.toString()));
        return copy;
    }
}
