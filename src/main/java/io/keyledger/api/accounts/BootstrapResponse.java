package io.keyledger.api.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.application.KeyService;
import io.keyledger.format.UnixSeconds;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** 201 body of the bootstrap: the create-key response plus the org and its new admin service account. */
@Schema(name = "BootstrapResponse",
        requiredProperties = {"id", "key", "description", "created_at", "expires_at", "org", "service_account"})
public record BootstrapResponse(String id, String key, String description,

        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt,

        @JsonProperty("expires_at") @Schema(type = SchemaType.INTEGER) long expiresAt,

        String org, @JsonProperty("service_account") ServiceAccountResponse serviceAccount) {

    static BootstrapResponse of(KeyService.BootstrappedAdmin admin) {
        return new BootstrapResponse(admin.key().id(), admin.key().key(), admin.key().description(),
                UnixSeconds.of(admin.key().createdAt()), admin.key().expiresAt(), admin.account().org(),
                ServiceAccountResponse.of(admin.account()));
    }

    @Override
    public String toString() {
        return "BootstrapResponse[id=" + id + ", key=<redacted>, org=" + org + "]";
    }
}
