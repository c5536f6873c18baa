package io.keyledger.store;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The ledger's hash of one event: {@code hash = SHA-256(prev_hash ‖ canonical bytes)}, lower-case
 * hex, where {@code prev_hash} is the hex of the previous event's hash in the stream (64 zeros for
 * the first) and the canonical bytes are the RFC 8785 (JCS) UTF-8 form of
 * {@code {stream_id, stream_version, type, schema_version, data, metadata, recorded_at}} with
 * {@code recorded_at} as RFC 3339 with six fractional digits. {@code data} is the stored data,
 * key hash included, so swapping a key's hash in the database breaks the chain.
 */
public final class LedgerHash {

    public static final String GENESIS = "0".repeat(64);
    static final DateTimeFormatter RFC3339_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private LedgerHash() {
    }

    public static byte[] canonical(String streamId, int streamVersion, String type, int schemaVersion, JsonObject data,
                                   JsonObject metadata, Instant recordedAt) {
        JsonObject event = new JsonObject()
                .put("stream_id", streamId)
                .put("stream_version", streamVersion)
                .put("type", type)
                .put("schema_version", schemaVersion)
                .put("data", data)
                .put("metadata", metadata)
                .put("recorded_at", RFC3339_MICROS.format(recordedAt.truncatedTo(ChronoUnit.MICROS)));
        try {
            return new JsonCanonicalizer(event.encode()).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalStateException("cannot canonicalize an event", e);
        }
    }

    public static String hash(String prevHash, byte[] canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonical);
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
