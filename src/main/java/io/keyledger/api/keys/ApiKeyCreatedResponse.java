package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.IssuedKey;
import io.keyledger.format.UnixSeconds;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** 201 body of "create an API key": the only place the key value ever appears. */
@Schema(name = "ApiKeyCreatedResponse", title = "ApiKeyCreatedResponse",
        requiredProperties = {"id", "key", "description", "created_at", "expires_at"})
public record ApiKeyCreatedResponse(@Schema(title = "Id") String id, @Schema(title = "Key") String key,
        @Schema(title = "Description") String description,

        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER, title = "Created At") BigDecimal createdAt,

        @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER, title = "Expires At") long expiresAt,
        // present only for a key issued with scopes: one issued without them answers exactly the seed's fields
        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.ARRAY, implementation = String.class,
                title = "Scopes",
                description = "What the key may do; present only when it was issued with scopes") List<String> scopes,

        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("allowed_cidrs") @Schema(type = SchemaType.ARRAY,
                implementation = String.class,
                description = "The addresses the key may be used from; present only when it has an allow-list") List<String> allowedCidrs) {

    static ApiKeyCreatedResponse of(IssuedKey issued) {
        return new ApiKeyCreatedResponse(issued.id(), issued.key(), issued.description(),
                UnixSeconds.of(issued.createdAt()), issued.expiresAt(), issued.scopes(), issued.allowedCidrs());
    }

    @Override
    public String toString() {
        return "ApiKeyCreatedResponse[id=" + id + ", key=<redacted>]";
    }
}
