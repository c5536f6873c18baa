package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.RotatedKey;
import io.keyledger.format.UnixSeconds;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** 201 body of a rotation: the new key, shown once, and when the replaced key stops working. */
@Schema(name = "ApiKeyRotatedResponse", requiredProperties = {"id", "key", "description", "created_at", "expires_at",
        "replaces", "grace_period_expires_at"})
public record ApiKeyRotatedResponse(String id, String key, String description,

        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt,

        @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER) long expiresAt,

        String replaces,

        @JsonProperty("grace_period_expires_at") @Schema(type = SchemaType.INTEGER) long gracePeriodExpiresAt,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.ARRAY, implementation = String.class,
                description = "The new key's scopes; present only when it has scopes") List<String> scopes,

        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("allowed_cidrs") @Schema(type = SchemaType.ARRAY,
                implementation = String.class,
                description = "The addresses the key may be used from; present only when it has an allow-list") List<String> allowedCidrs) {

    static ApiKeyRotatedResponse of(RotatedKey rotated) {
        var issued = rotated.issued();
        return new ApiKeyRotatedResponse(issued.id(), issued.key(), issued.description(),
                UnixSeconds.of(issued.createdAt()), issued.expiresAt(), rotated.replacedKeyId(),
                rotated.gracePeriodExpiresAt(), issued.scopes(), issued.allowedCidrs());
    }

    @Override
    public String toString() {
        return "ApiKeyRotatedResponse[id=" + id + ", key=<redacted>]";
    }
}
