package io.keyledger.api.keys;

import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Rejection;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

/**
 * Body of "create an API key". Unknown fields are ignored, so a client can never set id, key
 * or created_at. {@code expires_at} is unix seconds; 0, null or omitted mean never.
 */
@Schema(name = "ApiKeyPostInput", title = "ApiKeyPostInput", requiredProperties = "description", additionalProperties = Schema.False.class)
public record ApiKeyPostInput(
        @CodePointLength(max = Limits.MAX_DESCRIPTION, message = Inputs.TOO_LONG)
        @Schema(type = SchemaType.STRING, minLength = 1, maxLength = Limits.MAX_DESCRIPTION, title = "Description")
        String description,
        @Max(value = Limits.MAX_EXPIRES_AT, message = Inputs.EXPIRES_AT_MAX)
        @Schema(name = "expires_at", type = SchemaType.INTEGER, nullable = true, title = "Expires At",
                description = "Unix timestamp for key expiry. Use 0 or omit for no expiry. Must not be in the past.")
        Long expiresAt) {

    static ApiKeyPostInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        String description = Fields.requiredText(body, "description", errors);
        Long given = Fields.optionalExpiresAt(body, errors);
        ApiKeyPostInput input = Inputs.checked(validator, new ApiKeyPostInput(description, given == null ? 0L : given), errors);
        if (input.expiresAt() < 0) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST);
        }
        return input;
    }
}
