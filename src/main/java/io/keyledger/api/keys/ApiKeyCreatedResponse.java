package io.keyledger.api.keys;

import io.keyledger.format.UnixSeconds;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.IssuedKey;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** 201 body of "create an API key": the only place the key value ever appears. */
@Schema(name = "ApiKeyCreatedResponse", title = "ApiKeyCreatedResponse",
        requiredProperties = {"id", "key", "description", "created_at", "expires_at"})
public record ApiKeyCreatedResponse(
        @Schema(title = "Id") String id,
        @Schema(title = "Key") String key,
        @Schema(title = "Description") String description,
        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER, title = "Created At")
        BigDecimal createdAt,
        @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER, title = "Expires At")
        long expiresAt) {

    static ApiKeyCreatedResponse of(IssuedKey issued) {
        return new ApiKeyCreatedResponse(issued.id(), issued.key(), issued.description(),
                UnixSeconds.of(issued.createdAt()), issued.expiresAt());
    }

    @Override
    public String toString() {
        return "ApiKeyCreatedResponse[id=" + id + ", key=<redacted>]";
    }
}
