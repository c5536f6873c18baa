package io.keyledger.api.keys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.Scopes;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

/**
 * Body of "create an API key". Unknown fields are ignored, so a client can never set id, key
 * or created_at. {@code expires_at} is unix seconds; 0, null or omitted mean never.
 */
@Schema(name = "ApiKeyPostInput", title = "ApiKeyPostInput", requiredProperties = "description",
        additionalProperties = Schema.False.class)
public record ApiKeyPostInput(
        @CodePointLength(max = Limits.MAX_DESCRIPTION, message = Inputs.TOO_LONG) @Schema(type = SchemaType.STRING,
                minLength = 1, maxLength = Limits.MAX_DESCRIPTION, title = "Description") String description,

        @Max(value = Limits.MAX_EXPIRES_AT, message = Inputs.EXPIRES_AT_MAX) @Schema(name = "expires_at",
                type = SchemaType.INTEGER, nullable = true, title = "Expires At",
                description = "Unix timestamp for key expiry. Use 0 or omit for no expiry. Must not be in the past.") Long expiresAt,

        @Schema(type = SchemaType.ARRAY, implementation = String.class, minItems = 1, maxItems = Scopes.MAX_SCOPES,
                uniqueItems = true, title = "Scopes",
                description = "Optional: what the key may do, narrower than its account. keyledger:read and "
                        + "keyledger:manage for keyledger's own API; any other scope is passed to gateways. Each is 1 to "
                        + Scopes.MAX_LENGTH
                        + " characters of a-z 0-9 . _ : / -. Omit for everything the account may do.") List<String> scopes,

        @Schema(type = SchemaType.ARRAY, implementation = String.class, minItems = 1, maxItems = 20, uniqueItems = true,
                title = "Allowed Cidrs", description = "Optional: the IPv4 or IPv6 CIDRs the key may be used from "
                        + "(1 to 20); from anywhere else it is refused with 403. Omit for any address.") @com.fasterxml.jackson.annotation.JsonProperty("allowed_cidrs") List<String> allowedCidrs) {

    static ApiKeyPostInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        String description = Fields.requiredText(body, "description", errors);
        Long given = Fields.optionalExpiresAt(body, errors);
        List<String> scopes = Fields.optionalScopes(body, errors);
        List<String> cidrs = Fields.optionalCidrs(body, errors);
        ApiKeyPostInput input = Inputs.checked(validator,
                new ApiKeyPostInput(description, given == null ? 0L : given, scopes, cidrs), errors);
        if (input.expiresAt() < 0) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST);
        }
        return input;
    }
}
