package io.keyledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Field checks shared by the request bodies; each failure lands in {@code errors} under the field name. */
final class Fields {

    private Fields() {
    }

    static String requiredText(ObjectNode body, String field, int maxLength, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            errors.put(field, "Field required");
            return null;
        }
        return text(node, field, maxLength, true, errors);
    }

    static String optionalText(ObjectNode body, String field, int maxLength, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        return text(node, field, maxLength, false, errors);
    }

    private static String text(JsonNode node, String field, int maxLength, boolean required, Map<String, String> errors) {
        if (!node.isTextual()) {
            errors.put(field, "Must be a string");
            return null;
        }
        String value = node.textValue();
        if (required && value.isBlank()) {
            errors.put(field, "Field cannot be empty");
            return null;
        }
        if (value.codePointCount(0, value.length()) > maxLength) {
            errors.put(field, "Must be at most " + maxLength + " characters");
            return null;
        }
        return value;
    }

    /**
     * An optional {@code expires_at}: null when absent or null; otherwise an integer of unix seconds no
     * later than {@link ApiKeyPostInput#MAX_EXPIRES_AT}. Negative values pass, for the caller's "in the past".
     */
    static Long optionalExpiresAt(ObjectNode body, Map<String, String> errors) {
        JsonNode expires = body.get("expires_at");
        if (expires == null || expires.isNull()) {
            return null;
        }
        if (!expires.isIntegralNumber()) {
            errors.put("expires_at", "Must be an integer (unix seconds) or null");
            return null;
        }
        if (!expires.canConvertToLong() || expires.longValue() > ApiKeyPostInput.MAX_EXPIRES_AT) {
            errors.put("expires_at", "Must not be later than " + ApiKeyPostInput.MAX_EXPIRES_AT + " (2100-01-01T00:00:00Z)");
            return null;
        }
        return expires.longValue();
    }
}
