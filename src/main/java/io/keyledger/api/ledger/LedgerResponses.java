package io.keyledger.api.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.LedgerQueries;
import io.keyledger.format.UnixSeconds;
import io.keyledger.relay.PublishedEvents;
import io.keyledger.serviceaccount.KeysAsOf;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the ledger endpoints answer: history entries and point-in-time key lists. */
public final class LedgerResponses {

    private LedgerResponses() {
    }

    /**
     * One event of the log. {@code data} is the published form (never a key value or hash);
     * {@code actor} is the typed actor of the metadata; {@code hash} and {@code prev_hash} are the
     * ledger chain's (null for events recorded before the chain).
     */
    @Schema(name = "EventHistoryEntry", requiredProperties = {"position", "stream_version", "type", "schema_version",
            "recorded_at", "actor", "request_id", "data", "hash", "prev_hash"})
    public record EventHistoryEntry(long position, @JsonProperty("stream_version") int streamVersion,

            @Schema(description = "Stable event type name, e.g. KeyCreated") String type,

            @JsonProperty("schema_version") int schemaVersion,

            @JsonProperty("recorded_at") @Schema(type = SchemaType.NUMBER) BigDecimal recordedAt,

            @Schema(type = SchemaType.OBJECT,
                    description = "{type: user, subject} or {type: api_key, key_id, service_account}") Map<String, Object> actor,

            @JsonProperty("request_id") @Schema(nullable = true) String requestId,

            @Schema(type = SchemaType.OBJECT,
                    description = "The event as published on api-key-events") Map<String, Object> data,

            @Schema(nullable = true) String hash,

            @JsonProperty("prev_hash") @Schema(nullable = true) String prevHash) {

        public static EventHistoryEntry of(LedgerQueries.HistoryItem item) {
            JsonObject metadata = item.stored().metadata() == null ? new JsonObject() : item.stored().metadata();
            Object actor = metadata.getValue("actor");
            Map<String, Object> typed = actor instanceof JsonObject object
                    ? object.getMap()
                    // events recorded before actors were typed carry a plain name
                    : Map.of("type", "legacy", "name", String.valueOf(actor));
            return new EventHistoryEntry(item.stored().position(), item.stored().streamVersion(), item.stored().type(),
                    item.stored().schemaVersion(), UnixSeconds.of(item.stored().recordedAt()), typed,
                    metadata.getString("request_id"), PublishedEvents.value(item.event()).getMap(),
                    item.stored().hash(), item.stored().prevHash());
        }
    }

    @Schema(name = "EventHistoryResponse", requiredProperties = {"events", "next_after"})
    public record EventHistoryResponse(List<EventHistoryEntry> events,

            @JsonProperty("next_after") @Schema(nullable = true,
                    description = "Pass as ?after= for the next page; null at the end") Long nextAfter) {
    }

    /** A key active at an instant: the list's usual shape, without last_used_at (usage is not in the log). */
    @Schema(name = "ApiKeyAsOfResponse", requiredProperties = {"id", "description", "created_at", "expires_at"})
    public record ApiKeyAsOfResponse(String id, String description,

            @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt,

            @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER) long expiresAt,

            @JsonProperty("disabled_at") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.NUMBER,
                    description = "Present when the key was disabled at that instant (active, yet not usable then)") BigDecimal disabledAt) {

        public static ApiKeyAsOfResponse of(KeysAsOf.KeyAsOf key) {
            return new ApiKeyAsOfResponse(key.id(), key.description(), UnixSeconds.of(key.createdAt()), key.expiresAt(),
                    UnixSeconds.of(key.disabledAt()));
        }
    }

    /** A key of an org active at an instant, with its service account. */
    @Schema(name = "OrgApiKeyResponse",
            requiredProperties = {"id", "service_account", "description", "created_at", "expires_at"})
    public record OrgApiKeyResponse(String id, @JsonProperty("service_account") String serviceAccount,
            String description,

            @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt,

            @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER) long expiresAt,

            @JsonProperty("disabled_at") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.NUMBER,
                    description = "Present when the key was disabled at that instant (active, yet not usable then)") BigDecimal disabledAt) {

        public static OrgApiKeyResponse of(KeysAsOf.KeyAsOf key) {
            return new OrgApiKeyResponse(key.id(), key.serviceAccount(), key.description(),
                    UnixSeconds.of(key.createdAt()), key.expiresAt(), UnixSeconds.of(key.disabledAt()));
        }
    }
}
