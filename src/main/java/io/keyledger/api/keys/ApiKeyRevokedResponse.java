package io.keyledger.api.keys;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ApiKeyRevokedResponse", requiredProperties = {"id", "revoked_at"})
public record ApiKeyRevokedResponse(String id,

        @JsonProperty("revoked_at") @Schema(type = SchemaType.NUMBER) BigDecimal revokedAt) {
}
