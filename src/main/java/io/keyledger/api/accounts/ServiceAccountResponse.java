package io.keyledger.api.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.keyledger.format.UnixSeconds;
import io.keyledger.projection.ServiceAccountView;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ServiceAccountResponse", requiredProperties = {"name", "description", "privilege", "created_at"})
public record ServiceAccountResponse(String name, String description, String privilege,

        @JsonProperty("created_at") @Schema(type = SchemaType.NUMBER) BigDecimal createdAt) {

    static ServiceAccountResponse of(ServiceAccountView view) {
        return new ServiceAccountResponse(view.name(), view.description(), view.privilege(),
                UnixSeconds.of(view.createdAt()));
    }
}
