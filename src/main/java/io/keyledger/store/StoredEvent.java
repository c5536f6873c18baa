package io.keyledger.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/** One row of the event log as read back; {@code prevHash} and {@code hash} are null for rows from before the ledger chain. */
public record StoredEvent(long position, UUID eventId, String streamId, int streamVersion, String type,
        int schemaVersion, JsonObject data, JsonObject metadata, Instant recordedAt, String transactionId,
        String prevHash, String hash) {
}
