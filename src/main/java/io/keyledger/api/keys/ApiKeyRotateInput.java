package io.keyledger.api.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyledger.api.http.Fields;
import io.keyledger.api.http.Inputs;
import io.keyledger.serviceaccount.Limits;
import io.keyledger.serviceaccount.Rejection;
import io.keyledger.serviceaccount.Scopes;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of "rotate an API key". An empty object takes every default. */
@Schema(name = "ApiKeyRotateInput", additionalProperties = Schema.False.class)
public record ApiKeyRotateInput(
        @Min(value = Limits.MIN_GRACE_HOURS, message = Inputs.GRACE_RANGE) @Max(value = Limits.MAX_GRACE_HOURS,
                message = Inputs.GRACE_RANGE) @Schema(name = "grace_period_hours", type = SchemaType.INTEGER,
                        defaultValue = "" + Limits.DEFAULT_GRACE_HOURS,
                        description = "How long the replaced key keeps working") Integer gracePeriodHours,

        @Max(value = Limits.MAX_EXPIRES_AT, message = Inputs.EXPIRES_AT_MAX) @Schema(name = "expires_at",
                type = SchemaType.INTEGER, nullable = true,
                description = "Expiry of the new key (unix seconds, 0 = never); omitted means the original's") Long expiresAt,

        @Schema(type = SchemaType.ARRAY, implementation = String.class, minItems = 1, maxItems = Scopes.MAX_SCOPES,
                uniqueItems = true,
                description = "The new key's scopes: omitted copies the original's; a list narrows "
                        + "them (a subset of the original's, or any list when the original has none)") List<String> scopes,

        @Schema(type = SchemaType.ARRAY, implementation = String.class, minItems = 1, maxItems = 20, uniqueItems = true,
                description = "The new key's address allow-list: omitted copies the original's") @com.fasterxml.jackson.annotation.JsonProperty("allowed_cidrs") List<String> allowedCidrs) {

    static ApiKeyRotateInput from(ObjectNode body, Validator validator) {
        Map<String, String> errors = new LinkedHashMap<>();
        int grace = Limits.DEFAULT_GRACE_HOURS;
        JsonNode graceNode = body.get("grace_period_hours");
        if (graceNode != null && !graceNode.isNull()) {
            if (!graceNode.isIntegralNumber() || !graceNode.canConvertToInt()) {
                errors.put("grace_period_hours", Inputs.GRACE_RANGE);
            } else {
                grace = graceNode.intValue();
            }
        }
        Long expiresAt = Fields.optionalExpiresAt(body, errors);
        List<String> scopes = Fields.optionalScopes(body, errors);
        List<String> cidrs = Fields.optionalCidrs(body, errors);
        ApiKeyRotateInput input = Inputs.checked(validator, new ApiKeyRotateInput(grace, expiresAt, scopes, cidrs),
                errors);
        if (input.expiresAt() != null && input.expiresAt() < 0) {
            throw new Rejection(Rejection.Reason.EXPIRES_AT_IN_PAST);
        }
        return input;
    }
}
