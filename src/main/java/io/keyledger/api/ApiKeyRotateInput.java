package io.keyledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of "rotate an API key". An empty object takes every default. */
@Schema(name = "ApiKeyRotateInput")
public record ApiKeyRotateInput(
        @Schema(name = "grace_period_hours", type = SchemaType.INTEGER, minimum = "1", maximum = "720", defaultValue = "24",
                description = "How long the replaced key keeps working") Integer gracePeriodHours,
        @Schema(name = "expires_at", type = SchemaType.INTEGER, nullable = true,
                description = "Expiry of the new key (unix seconds, 0 = never); omitted means the original's") Long expiresAt) {

    static final int DEFAULT_GRACE_HOURS = 24;
    static final int MAX_GRACE_HOURS = 720;

    static ApiKeyRotateInput from(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        int grace = DEFAULT_GRACE_HOURS;
        JsonNode graceNode = body.get("grace_period_hours");
        if (graceNode != null && !graceNode.isNull()) {
            if (!graceNode.isIntegralNumber() || !graceNode.canConvertToInt()
                    || graceNode.intValue() < 1 || graceNode.intValue() > MAX_GRACE_HOURS) {
                errors.put("grace_period_hours", "Must be an integer from 1 to " + MAX_GRACE_HOURS);
            } else {
                grace = graceNode.intValue();
            }
        }
        Long expiresAt = Fields.optionalExpiresAt(body, errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (expiresAt != null && expiresAt < 0) {
            throw new ApiException(400, ErrorResponse.of(ErrorMessages.EXPIRES_AT_IN_PAST));
        }
        return new ApiKeyRotateInput(grace, expiresAt);
    }
}
