package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.format.UnixSeconds;
import io.keyledger.projection.ActiveKeyView;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One active key, without its value. {@code last_used_at} is null until the key is used. */
@Schema(name = "ApiKeyListItemResponse", title = "ApiKeyListItemResponse",
        requiredProperties = {"id", "description", "created_at", "expires_at"})
public record ApiKeyListItemResponse(@Schema(title = "Id") String id, @Schema(title = "Description") String description,

        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER, title = "Created At") BigDecimal createdAt,

        @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER, title = "Expires At") long expiresAt,

        @JsonProperty("last_used_at") @Schema(type = SchemaType.NUMBER, nullable = true,
                title = "Last Used At") BigDecimal lastUsedAt,
        // present only while the key is disabled: a key issued and kept without the option answers the seed's fields
        @JsonProperty("disabled_at") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.NUMBER,
                title = "Disabled At",
                description = "When the key was disabled (unix seconds); present only while it is disabled") BigDecimal disabledAt,

        @JsonProperty("disabled_reason") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(title = "Disabled Reason",
                description = "Why the key was disabled; present only while it is disabled") String disabledReason,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.ARRAY, implementation = String.class,
                title = "Scopes",
                description = "What the key may do; present only when it was issued with scopes") java.util.List<String> scopes,

        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("allowed_cidrs") @Schema(type = SchemaType.ARRAY,
                implementation = String.class,
                description = "The addresses the key may be used from; present only when it has an allow-list") java.util.List<String> allowedCidrs) {

    static ApiKeyListItemResponse of(ActiveKeyView key) {
        return new ApiKeyListItemResponse(key.id(), key.description(), UnixSeconds.of(key.createdAt()), key.expiresAt(),
                UnixSeconds.of(key.lastUsedAt()), UnixSeconds.of(key.disabledAt()), key.disabledReason(), key.scopes(),
                key.allowedCidrs());
    }
}
