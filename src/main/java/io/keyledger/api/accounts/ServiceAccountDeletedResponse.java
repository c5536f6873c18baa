package io.keyledger.api.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ServiceAccountDeletedResponse", requiredProperties = {"name", "revoked_keys"})
public record ServiceAccountDeletedResponse(String name, @JsonProperty("revoked_keys") int revokedKeys) {
}
