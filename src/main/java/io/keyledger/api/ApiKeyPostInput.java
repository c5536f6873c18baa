package io.keyledger.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of "create an API key". Unknown fields are ignored, so a client can never set id, key
 * or created_at. {@code expires_at} is unix seconds; 0, null or omitted mean never.
 */
@Schema(name = "ApiKeyPostInput", title = "ApiKeyPostInput", requiredProperties = "description")
public record ApiKeyPostInput(
        @Schema(type = SchemaType.STRING, minLength = 1, maxLength = ApiKeyPostInput.MAX_DESCRIPTION, title = "Description")
        String description,
        @Schema(name = "expires_at", type = SchemaType.INTEGER, nullable = true, title = "Expires At",
                description = "Unix timestamp for key expiry. Use 0 or omit for no expiry. Must not be in the past.")
        Long expiresAt) {

    static final int MAX_DESCRIPTION = 256;
    /** 2100-01-01T00:00:00Z: far enough for any real key, small enough for every client's integer type. */
    static final long MAX_EXPIRES_AT = 4_102_444_800L;

    static ApiKeyPostInput from(ObjectNode body) {
        Map<String, String> errors = new LinkedHashMap<>();
        String description = Fields.requiredText(body, "description", MAX_DESCRIPTION, errors);
        Long given = Fields.optionalExpiresAt(body, errors);
        long expiresAt = given == null ? 0 : given;
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (expiresAt < 0) {
            throw new ApiException(400, ErrorResponse.of(ErrorMessages.EXPIRES_AT_IN_PAST));
        }
        return new ApiKeyPostInput(description, expiresAt);
    }
}
